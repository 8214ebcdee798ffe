import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Creates or updates a SCRAM user through AlterUserScramCredentials (kafkajs lacks that API).
 * Usage: ScramUser <bootstrap> <mechanism> <username> [iterations]
 * Secrets come from the environment so they never show in a process list:
 * SCRAM_ADMIN_USERNAME, SCRAM_ADMIN_PASSWORD, SCRAM_USER_PASSWORD.
 */
public final class ScramUser {
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: ScramUser <bootstrap> <SCRAM-SHA-256|SCRAM-SHA-512> <username> [iterations]");
      System.exit(2);
    }
    String bootstrap = args[0];
    ScramMechanism mechanism = ScramMechanism.fromMechanismName(args[1]);
    if (mechanism == ScramMechanism.UNKNOWN) {
      System.err.println("unknown SCRAM mechanism: " + args[1]);
      System.exit(2);
    }
    String username = args[2];
    int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 4096;
    String adminUser = requireEnv("SCRAM_ADMIN_USERNAME");
    String adminPassword = requireEnv("SCRAM_ADMIN_PASSWORD");
    String password = requireEnv("SCRAM_USER_PASSWORD");

    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    props.put(SaslConfigs.SASL_MECHANISM, args[1]);
    props.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + adminUser + "\" password=\"" + adminPassword + "\";");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");

    try (Admin admin = Admin.create(props)) {
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
              username, new ScramCredentialInfo(mechanism, iterations), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    System.out.println("ok " + username);
  }

  private static String requireEnv(String name) {
    String value = System.getenv(name);
    if (value == null || value.isEmpty()) {
      System.err.println("missing environment variable " + name);
      System.exit(2);
    }
    return value;
  }
}

package kafkacutover.load;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * The load harness's Java client: an idempotent producer or a consumer in a group, printing one JSON line
 * per outcome on stdout (see local/load/README.md). Plain kafka-clients; compiles against 3.x and 4.x.
 *
 * <pre>
 * produce --topic T --producer ID [--partition P] [--rate N] [--count N] CONNECTION...
 * consume --topic T --group G [--group-protocol classic|consumer] [--commit-interval-ms N] CONNECTION...
 * CONNECTION: --bootstrap H:P [--security-protocol P] [--sasl-mechanism M] [--username U]
 *             [--password-env VAR] [--ca-pem FILE] [--truststore FILE --truststore-password-env VAR]
 *             [--properties FILE] [--config key=value]...
 * </pre>
 *
 * Both modes stop on SIGTERM or when stdin reaches EOF (keep it open), print {"type":"stopped"} and exit 0.
 * A consumer exception that is not retriable prints {"type":"error","fatal":true} and exits 1. Secrets come
 * from environment variables or the properties file, never from arguments, and are never printed.
 */
public final class Workload {
  private static final PrintStream OUT =
      new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
  private static final Pattern VALUE =
      Pattern.compile("\\{\\s*\"producer\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,\\s*\"seq\"\\s*:\\s*(-?\\d+)\\s*}");

  static {
    // The clients' own logging (slf4j-simple, on stderr): warnings and errors only, unless asked otherwise.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null)
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    if (System.getProperty("org.slf4j.simpleLogger.showDateTime") == null)
      System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
  }

  private static volatile boolean stopping = false;
  private static volatile boolean signalled = false;
  private static final CountDownLatch finished = new CountDownLatch(1);

  private Workload() {}

  public static void main(String[] argv) {
    int code;
    try {
      Args args = Args.parse(argv);
      installStopSignals();
      code = "produce".equals(args.mode) ? produce(args) : consume(args);
    } catch (UsageException e) {
      System.err.println("workload: " + e.getMessage());
      code = 2;
    } catch (Throwable e) {
      // A client that cannot even be created (bad config, unknown group.protocol): a fatal error, visible.
      emit(json("type", "error", "error", describe(e), "fatal", true, "at", now()));
      code = 1;
    }
    OUT.flush();
    finished.countDown();
    // Stopped by SIGTERM, the shutdown hook is waiting for this: the JVM then exits with the signal's status.
    if (!signalled) System.exit(code);
  }

  // ---------------------------------------------------------------------------------------------- produce

  private static int produce(Args a) throws InterruptedException {
    Properties p = a.connection();
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "workload-" + a.producerId);
    p.putAll(a.overrides);
    AtomicLong outstanding = new AtomicLong();
    long acked;
    long failed;
    final long[] counts = new long[2]; // acked, failed
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      emit(json("type", "started", "mode", "produce", "clientVersion", AppInfoParser.getVersion(),
          "producer", a.producerId, "topic", a.topic, "at", now()));
      long intervalNanos = a.rate > 0 ? (long) (1e9 / a.rate) : 0;
      long next = System.nanoTime();
      for (long seq = 0; !stopping && (a.count < 0 || seq < a.count); seq++) {
        final long s = seq;
        String value = "{\"producer\": " + quote(a.producerId) + ", \"seq\": " + seq + "}";
        ProducerRecord<String, String> record =
            new ProducerRecord<>(a.topic, a.partition, String.valueOf(seq), value);
        long sentAt = now();
        outstanding.incrementAndGet();
        try {
          producer.send(record, (md, err) -> {
            if (err == null) {
              synchronized (counts) {
                counts[0]++;
              }
              emit(json("type", "acked", "producer", a.producerId, "seq", s, "topic", md.topic(),
                  "partition", md.partition(), "offset", md.offset(), "sentAt", sentAt, "at", now()));
            } else {
              synchronized (counts) {
                counts[1]++;
              }
              emit(json("type", "failed", "producer", a.producerId, "seq", s, "error", describe(err),
                  "sentAt", sentAt, "at", now()));
            }
            outstanding.decrementAndGet();
          });
        } catch (RuntimeException err) {
          // send() throws, rather than calling back, for what it finds before queueing (e.g. a fatal state).
          synchronized (counts) {
            counts[1]++;
          }
          emit(json("type", "failed", "producer", a.producerId, "seq", s, "error", describe(err),
              "sentAt", sentAt, "at", now()));
          outstanding.decrementAndGet();
        }
        if (intervalNanos > 0) {
          next += intervalNanos;
          long wait = next - System.nanoTime();
          if (wait > 0) LockSupport.parkNanos(wait);
          else next = System.nanoTime();
        }
      }
      producer.flush();
    }
    // close() waits for every callback (delivery.timeout.ms bounds each record).
    synchronized (counts) {
      acked = counts[0];
      failed = counts[1];
    }
    emit(json("type", "stopped", "mode", "produce", "producer", a.producerId, "acked", acked, "failed", failed,
        "outstanding", outstanding.get(), "at", now()));
    return 0;
  }

  // ---------------------------------------------------------------------------------------------- consume

  private static int consume(Args a) {
    String protocol = a.groupProtocol;
    boolean modernClient = !AppInfoParser.getVersion().startsWith("3.");
    if ("consumer".equals(protocol) && !modernClient) {
      throw new IllegalArgumentException("group.protocol=consumer (KIP-848) needs kafka-clients 4.x; this is "
          + AppInfoParser.getVersion() + ": use --group-protocol classic");
    }
    Properties p = a.connection();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, a.group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    // On 3.x the key only exists as early access; leave it out there so "classic" is exactly the default.
    if (modernClient || !"classic".equals(protocol)) p.put("group.protocol", protocol);
    boolean autoCommit = a.commitIntervalMs > 0;
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, String.valueOf(autoCommit));
    if (autoCommit) p.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, String.valueOf(a.commitIntervalMs));
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "workload-" + a.group);
    p.putAll(a.overrides);

    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
    holder = consumer;
    int code = 0;
    try {
      emit(json("type", "started", "mode", "consume", "clientVersion", AppInfoParser.getVersion(),
          "group", a.group, "groupProtocol", protocol, "topic", a.topic, "at", now()));
      consumer.subscribe(Collections.singletonList(a.topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          if (!partitions.isEmpty()) emit(json("type", "revoked", "partitions", partitionList(partitions), "at", now()));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          emit(json("type", "assigned", "partitions", partitionList(partitions), "at", now()));
        }
      });
      while (!stopping) {
        try {
          ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
          for (ConsumerRecord<String, String> r : records) {
            Matcher m = r.value() == null ? null : VALUE.matcher(r.value());
            boolean ours = m != null && m.matches();
            emit(json("type", "consumed", "topic", r.topic(), "partition", r.partition(), "offset", r.offset(),
                "producer", ours ? unquote(m.group(1)) : null, "seq", ours ? Long.parseLong(m.group(2)) : null,
                "at", now()));
          }
          if (!autoCommit && !records.isEmpty()) {
            consumer.commitSync();
            List<String> offsets = new ArrayList<>();
            for (TopicPartition tp : records.partitions()) {
              List<ConsumerRecord<String, String>> rs = records.records(tp);
              long next = rs.get(rs.size() - 1).offset() + 1;
              offsets.add(json("topic", tp.topic(), "partition", tp.partition(), "offset", next));
            }
            emit(json("type", "committed", "offsets", new Raw("[" + String.join(",", offsets) + "]"), "at", now()));
          }
        } catch (WakeupException e) {
          if (stopping) break;
          emit(json("type", "error", "error", describe(e), "fatal", false, "at", now()));
        } catch (RuntimeException e) {
          boolean fatal = !retriable(e);
          emit(json("type", "error", "error", describe(e), "fatal", fatal, "at", now()));
          if (fatal) {
            code = 1;
            break;
          }
        }
      }
    } finally {
      holder = null;
      try {
        // After a fatal error there is nothing to commit and no group to leave politely: do not linger
        // (a KIP-848 consumer would spend the whole timeout trying to send its leave heartbeat).
        consumer.close(Duration.ofSeconds(code == 0 ? 10 : 1));
      } catch (RuntimeException e) {
        emit(json("type", "error", "error", describe(e), "fatal", false, "at", now()));
      }
    }
    if (code == 0) emit(json("type", "stopped", "mode", "consume", "group", a.group, "at", now()));
    return code;
  }

  /**
   * What an application would ride out: the client's retriable errors, and a commit that lost a race with a
   * rebalance (the records are delivered again, at least once). Anything else ends the consumer.
   */
  private static boolean retriable(Throwable e) {
    return e instanceof RetriableException
        || e instanceof CommitFailedException
        || e instanceof RebalanceInProgressException;
  }

  // ------------------------------------------------------------------------------------------- lifecycle

  private static volatile KafkaConsumer<?, ?> holder;

  /** SIGTERM and stdin EOF both stop the loop; a consumer blocked in poll() is woken. */
  private static void installStopSignals() {
    Runnable stop = () -> {
      stopping = true;
      KafkaConsumer<?, ?> c = holder;
      if (c != null) c.wakeup();
    };
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (finished.getCount() == 0) return;
      signalled = true;
      stop.run();
      try {
        finished.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
      OUT.flush();
    }, "workload-shutdown"));
    Thread stdin = new Thread(() -> {
      try (InputStream in = new FileInputStream(FileDescriptor.in)) {
        byte[] buf = new byte[256];
        while (in.read(buf) >= 0) {
          // input is ignored; only its end matters
        }
      } catch (IOException ignored) {
        // treat as EOF
      }
      stop.run();
    }, "workload-stdin");
    stdin.setDaemon(true);
    stdin.start();
  }

  // ------------------------------------------------------------------------------------------- arguments

  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static final class Args {
    String mode;
    String topic;
    Integer partition;
    String producerId = "java";
    double rate = 100;
    long count = -1;
    String group;
    String groupProtocol = "classic";
    long commitIntervalMs = 0;
    String bootstrap;
    String securityProtocol;
    String saslMechanism;
    String username;
    String passwordEnv;
    String caPem;
    String truststore;
    String truststorePasswordEnv;
    String propertiesFile;
    final Properties overrides = new Properties();

    static Args parse(String[] argv) throws UsageException {
      if (argv.length == 0 || !("produce".equals(argv[0]) || "consume".equals(argv[0])))
        throw new UsageException("usage: Workload produce|consume --topic T ... (see local/load/README.md)");
      Args a = new Args();
      a.mode = argv[0];
      for (int i = 1; i < argv.length; i++) {
        String flag = argv[i];
        if (i + 1 >= argv.length) throw new UsageException(flag + " needs a value");
        String v = argv[++i];
        try {
          switch (flag) {
            case "--topic": a.topic = v; break;
            case "--partition": a.partition = Integer.valueOf(v); break;
            case "--producer": a.producerId = v; break;
            case "--rate": a.rate = Double.parseDouble(v); break;
            case "--count": a.count = Long.parseLong(v); break;
            case "--group": a.group = v; break;
            case "--group-protocol": a.groupProtocol = v; break;
            case "--commit-interval-ms": a.commitIntervalMs = Long.parseLong(v); break;
            case "--bootstrap": a.bootstrap = v; break;
            case "--security-protocol": a.securityProtocol = v; break;
            case "--sasl-mechanism": a.saslMechanism = v; break;
            case "--username": a.username = v; break;
            case "--password-env": a.passwordEnv = v; break;
            case "--ca-pem": a.caPem = v; break;
            case "--truststore": a.truststore = v; break;
            case "--truststore-password-env": a.truststorePasswordEnv = v; break;
            case "--properties": a.propertiesFile = v; break;
            case "--config": {
              int eq = v.indexOf('=');
              if (eq <= 0) throw new UsageException("--config wants key=value, got " + v);
              a.overrides.put(v.substring(0, eq), v.substring(eq + 1));
              break;
            }
            default: throw new UsageException("unknown option " + flag);
          }
        } catch (NumberFormatException e) {
          throw new UsageException(flag + ": not a number: " + v);
        }
      }
      if (a.topic == null) throw new UsageException("--topic is required");
      if ("consume".equals(a.mode) && a.group == null) throw new UsageException("--group is required");
      if (!"classic".equals(a.groupProtocol) && !"consumer".equals(a.groupProtocol))
        throw new UsageException("--group-protocol must be classic or consumer, got " + a.groupProtocol);
      return a;
    }

    /** The connection's client properties: the properties file first, then the flags. */
    Properties connection() {
      Properties p = new Properties();
      if (propertiesFile != null) {
        try (InputStream in = new FileInputStream(propertiesFile)) {
          p.load(in);
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read --properties " + propertiesFile + ": " + e.getMessage());
        }
      }
      if (bootstrap != null) p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      if (securityProtocol != null) p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
      if (saslMechanism != null) p.put(SaslConfigs.SASL_MECHANISM, saslMechanism);
      if (username != null) {
        String password = passwordEnv == null ? null : System.getenv(passwordEnv);
        if (password == null) throw new IllegalArgumentException("--username needs --password-env naming a set variable");
        String mechanism = p.getProperty(SaslConfigs.SASL_MECHANISM, "GSSAPI");
        String module = mechanism.startsWith("SCRAM-")
            ? "org.apache.kafka.common.security.scram.ScramLoginModule"
            : "org.apache.kafka.common.security.plain.PlainLoginModule";
        p.put(SaslConfigs.SASL_JAAS_CONFIG,
            module + " required username=" + quote(username) + " password=" + quote(password) + ";");
      }
      if (caPem != null) {
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caPem);
      }
      if (truststore != null) {
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore);
        if (truststorePasswordEnv != null && System.getenv(truststorePasswordEnv) != null)
          p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, System.getenv(truststorePasswordEnv));
      }
      return p;
    }
  }

  // ------------------------------------------------------------------------------------------------ JSON

  /** A value written as is. */
  static final class Raw {
    final String json;

    Raw(String json) {
      this.json = json;
    }
  }

  static void emit(String line) {
    synchronized (OUT) {
      OUT.print(line);
      OUT.print('\n');
      OUT.flush();
    }
  }

  static long now() {
    return System.currentTimeMillis();
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getName() + ": " + (message == null ? "" : message);
  }

  static String json(Object... kv) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < kv.length; i += 2) {
      if (i > 0) b.append(',');
      b.append(quote((String) kv[i])).append(':');
      Object v = kv[i + 1];
      if (v == null) b.append("null");
      else if (v instanceof Raw) b.append(((Raw) v).json);
      else if (v instanceof Number || v instanceof Boolean) b.append(v);
      else b.append(quote(v.toString()));
    }
    return b.append('}').toString();
  }

  static Raw partitionList(Collection<TopicPartition> partitions) {
    List<String> out = new ArrayList<>();
    for (TopicPartition tp : partitions) out.add(json("topic", tp.topic(), "partition", tp.partition()));
    return new Raw("[" + String.join(",", out) + "]");
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
      }
    }
    return b.append('"').toString();
  }

  static String unquote(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        switch (n) {
          case 'n': b.append('\n'); break;
          case 'r': b.append('\r'); break;
          case 't': b.append('\t'); break;
          case 'u':
            if (i + 4 < s.length()) {
              b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
              i += 4;
            }
            break;
          default: b.append(n);
        }
      } else b.append(c);
    }
    return b.toString();
  }
}

package kafkacutover.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;

/**
 * SASL/PLAIN server callback that checks "API keys" against a directory holding one file per key
 * (file name = key, content = secret). The directory is read on every login, so keys created at
 * runtime work without a broker restart. Configured through the JAAS option {@code api.keys.dir}.
 */
public final class ApiKeyCallbackHandler implements AuthenticateCallbackHandler {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private Path keysDir;

  @Override
  public void configure(Map<String, ?> configs, String mechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    for (AppConfigurationEntry entry : jaasConfigEntries) {
      Object dir = entry.getOptions().get("api.keys.dir");
      if (dir != null) {
        keysDir = Paths.get(dir.toString());
        return;
      }
    }
    throw new IllegalArgumentException("JAAS option api.keys.dir is required by " + getClass().getName());
  }

  @Override
  public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
    String username = null;
    for (Callback callback : callbacks) {
      if (callback instanceof NameCallback) {
        username = ((NameCallback) callback).getDefaultName();
      } else if (callback instanceof PlainAuthenticateCallback) {
        PlainAuthenticateCallback plain = (PlainAuthenticateCallback) callback;
        plain.authenticated(authenticate(username, plain.password()));
      } else {
        throw new UnsupportedCallbackException(callback);
      }
    }
  }

  private boolean authenticate(String key, char[] secret) throws IOException {
    // The key becomes a file name: refuse anything that could leave the directory.
    if (key == null || !KEY.matcher(key).matches()) {
      return false;
    }
    byte[] expected;
    try {
      expected = Files.readString(keysDir.resolve(key), StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return false;
    }
    byte[] given = new String(secret).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given);
  }

  @Override
  public void close() {}
}

/** Credentials out of a `sasl.jaas.config` line, e.g. `…ScramLoginModule required username="u" password="p";`. */
export interface JaasCredentials {
  loginModule: string;
  username: string;
  password: string;
}

export function parseJaasConfig(line: string): JaasCredentials {
  const module = /^\s*([\w.$]+)\s+(required|requisite|sufficient|optional)\b/.exec(line);
  if (!module) throw new Error("sasl.jaas.config must start with '<LoginModule class> required'");
  const options = new Map<string, string>();
  const optionPattern = /([\w.]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;"]+))/g;
  for (let m = optionPattern.exec(line); m; m = optionPattern.exec(line)) {
    options.set(m[1], m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3]);
  }
  const username = options.get("username");
  const password = options.get("password");
  if (!username || password === undefined) throw new Error('sasl.jaas.config must set username="…" and password="…"');
  return { loginModule: module[1], username, password };
}

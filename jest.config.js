// Three projects: unit (pure code and Pulumi mocks), integration (real Kafka and the emulators, started
// once per run by tests/globalSetup), e2e (the real pulumi CLI). `npm test` runs all three.
const base = {
  preset: "ts-jest",
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", {}] },
};
module.exports = {
  projects: [
    {
      ...base,
      displayName: "unit",
      testMatch: ["<rootDir>/tests/unit/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/tests/unit/helpers/timeout.ts"],
    },
    {
      ...base,
      displayName: "integration",
      testMatch: ["<rootDir>/tests/integration/**/*.test.ts"],
      globalSetup: "<rootDir>/tests/integration/globalSetup.ts",
      globalTeardown: "<rootDir>/tests/integration/globalTeardown.ts",
      // Sets a 60 s test timeout (testTimeout is not a per-project option in jest 29).
      setupFilesAfterEnv: ["<rootDir>/tests/integration/helpers/timeout.ts"],
    },
    { ...base, displayName: "e2e", testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"] },
  ],
};

// Three projects: unit (pure code and Pulumi mocks), integration (real Kafka and the emulators, started
// once per run by tests/globalSetup), e2e (the real pulumi CLI). `npm test` runs all three.
const base = {
  preset: "ts-jest",
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true }] },
};
module.exports = {
  projects: [
    { ...base, displayName: "unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"] },
    { ...base, displayName: "integration", testMatch: ["<rootDir>/tests/integration/**/*.test.ts"] },
    { ...base, displayName: "e2e", testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"] },
  ],
};

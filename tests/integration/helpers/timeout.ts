// setupFilesAfterEnv of the integration project: real brokers need more than jest's default 5 s.
jest.setTimeout(60_000);

// A test's first import of the Pulumi provider SDKs (@pulumi/aws, @pulumi/confluentcloud) takes seconds on a
// busy 2-core machine; jest's 5 s default then fails a test for the machine's load, not for what it checks.
jest.setTimeout(30_000);

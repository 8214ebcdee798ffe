import * as net from "node:net";
import type { TLSSocket } from "node:tls";
import { rfc2253Subject } from "../auth/certificateSubject";
import { isScramMechanism } from "../auth/credentials";
import type { PlainLogin } from "../auth/jaas";
import { jwtClaims, oauthBearerClientFirstMessage } from "../auth/oauthTokens";
import { parsePlain } from "../auth/plain";
import { ScramServer } from "../auth/scramServer";
import { ApiKey, ErrorCode } from "../protocol/apiKeys";
import { isStruct, type Struct, type Value } from "../protocol/codec";
import { buildErrorResponse } from "../protocol/errorResponse";
import { frame, FrameReader } from "../protocol/frames";
import { encodeRequestHeader, parseRequestHeader, type RequestHeader } from "../protocol/headers";
import type { Protocol } from "../protocol/protocol";
import type { HostPort, RouteConfig, RouteTarget, SwapAuth, UpstreamLogin } from "./config";
import { ADDRESS_APIS, capApiVersions, ensureApiVersion, rewriteAddresses, type AddressMapper } from "./rewrite";

/** What a connection needs from its route. */
export interface ConnectionContext {
  protocol: Protocol;
  /** The route's current config: fence and auth are read per request, the target only at accept. */
  config(): RouteConfig;
  addressMapper(target: RouteTarget): AddressMapper;
  upstreamAddress(target: RouteTarget, nodeId: number | undefined): HostPort;
  /** How a fenced route answers (see FenceResponse). */
  fence: FenceResponse;
  onClose(connection: ClientConnection): void;
  log(message: string): void;
}

/**
 * How a fenced route answers. `answer-at-once` is the real Gateway: every request (SASL included, ApiVersions
 * excepted) gets `fence.errorCode` in its API's response shape straight away. `hold-then-answer` is an emulator
 * option, kinder than the real thing: requests wait for the fence to lift (and go on) or, after `holdMs`, get the
 * error; it exists only for tests that ask for it by name.
 */
export type FenceResponse = { mode: "answer-at-once" } | { mode: "hold-then-answer"; holdMs: number };

/** A response slot, in request order: Kafka clients expect responses in the order they sent requests. */
interface Slot {
  header: RequestHeader;
  response?: Buffer;
}

interface Held {
  header: RequestHeader;
  body: Buffer;
  slot?: Slot;
  timer: NodeJS.Timeout;
}

/** Requests a held fence lets through; a fence that answers at once lets only ApiVersions through. */
const HOLD_EXEMPT: ReadonlySet<number> = new Set([ApiKey.ApiVersions, ApiKey.SaslHandshake, ApiKey.SaslAuthenticate]);
const INTERNAL_CORRELATION_BASE = 0x7ff00000;

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function bytes(v: unknown): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.alloc(0);
}

function int(v: unknown): number {
  return typeof v === "number" ? v : 0;
}

function structs(v: Value | undefined): Struct[] {
  return Array.isArray(v) ? v.filter(isStruct) : [];
}

/**
 * One client connection and its upstream connection. The upstream is chosen once, at accept, from the
 * route's target then: a switch closes this connection rather than re-pointing it.
 */
export class ClientConnection {
  readonly target: RouteTarget;
  private readonly upstream: net.Socket;
  private readonly clientFrames = new FrameReader();
  private readonly upstreamFrames = new FrameReader();
  private readonly slots: Slot[] = [];
  private readonly awaitingUpstream = new Map<number, Slot>();
  private readonly internal = new Map<number, { resolve: (body: Buffer) => void; reject: (err: Error) => void }>();
  private held: Held[] = [];
  private nextInternalId = INTERNAL_CORRELATION_BASE;
  private authenticated: boolean;
  /** mTLS in: requests wait here while the gateway signs in upstream for the certificate's principal. */
  private certificateLogin: { state: "pending"; waiting: Buffer[] } | { state: "refused"; reason: string } | undefined;
  private sasl: { mechanism: string; scram?: ScramServer } | undefined;
  private closed = false;
  private ending = false;

  constructor(
    private readonly client: net.Socket,
    private readonly ctx: ConnectionContext,
    nodeId: number | undefined,
  ) {
    const config = ctx.config();
    this.target = config.target;
    this.authenticated = config.auth.mode === "passthrough";
    const address = ctx.upstreamAddress(this.target, nodeId);
    this.upstream = net.connect(address.port, address.host);
    this.upstream.setNoDelay(true);
    client.setNoDelay(true);
    client.on("data", (chunk: Buffer) =>
      this.guard(() => this.clientFrames.push(chunk).forEach((f) => this.onRequest(f))),
    );
    this.upstream.on("data", (chunk: Buffer) =>
      this.guard(() => this.upstreamFrames.push(chunk).forEach((f) => this.onResponse(f))),
    );
    for (const socket of [client, this.upstream]) {
      socket.on("error", () => this.close());
      socket.on("close", () => this.close());
    }
    if (config.auth.mode === "swap" && config.auth.certificatePrincipal) this.loginAsCertificate(config.auth);
  }

  /**
   * mTLS in: the TLS handshake has verified the client's certificate; its subject, through the mapping rules,
   * is the principal, and the gateway signs in upstream with that principal's API key before anything the
   * client sent goes on. A subject no rule maps, or a principal without credentials, is refused like a failed
   * SASL login: every request is answered SASL_AUTHENTICATION_FAILED and the connection is closed.
   */
  private loginAsCertificate(auth: SwapAuth): void {
    const waiting: Buffer[] = [];
    this.certificateLogin = { state: "pending", waiting };
    const refuse = (reason: string): void => {
      this.ctx.log(`route ${this.ctx.config().name}: refusing mTLS client: ${reason}`);
      this.certificateLogin = { state: "refused", reason };
      this.guard(() => waiting.forEach((body) => this.onRequest(body)));
    };
    const certificate = (this.client as TLSSocket).getPeerX509Certificate?.();
    if (!certificate) return refuse("no client certificate");
    const subject = rfc2253Subject(certificate);
    let principal: string;
    try {
      principal = (auth.certificatePrincipal as (subject: string) => string)(subject);
    } catch (err) {
      return refuse(`Authentication failed: ${(err as Error).message}`);
    }
    const login = auth.cluster(principal);
    if (typeof login === "string") return refuse(`Authentication failed: ${login}`);
    this.upstreamLogin(login).then(
      () => {
        this.authenticated = true;
        this.certificateLogin = undefined;
        this.guard(() => waiting.forEach((body) => this.onRequest(body)));
      },
      (err: Error) => refuse(`gateway could not log in upstream for ${principal}: ${err.message}`),
    );
  }

  /** Answers a request of a refused mTLS client with SASL_AUTHENTICATION_FAILED in its API's shape, then closes. */
  private refuseRequest(header: RequestHeader, body: Buffer, reason: string): void {
    // One answer is enough: the connection is ending, and nothing may be written after its end.
    if (this.ending) return;
    const slot = this.reserve(header, body);
    if (slot) {
      const { protocol } = this.ctx;
      const response = buildErrorResponse(
        protocol.response(header.apiKey),
        protocol.request(header.apiKey),
        header.apiVersion,
        protocol.decodeRequest(body, header),
        ErrorCode.SASL_AUTHENTICATION_FAILED,
        reason,
      );
      this.fill(slot, protocol.encodeResponse(header.apiKey, header.apiVersion, header.correlationId, response));
    }
    this.closeSoon();
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.ctx.log(`route ${this.ctx.config().name}: closing connection: ${(err as Error).message}`);
      this.close();
    }
  }

  /** Drops both directions; requests in flight or held are lost with the connection, as on a broker restart. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const h of this.held) clearTimeout(h.timer);
    this.held = [];
    for (const pending of this.internal.values()) pending.reject(new Error("connection closed"));
    this.internal.clear();
    this.client.destroy();
    this.upstream.destroy();
    this.ctx.onClose(this);
  }

  /** The fence is gone and the target unchanged: send the held requests upstream, in order. */
  releaseHeld(): void {
    const held = this.held;
    this.held = [];
    for (const h of held) {
      clearTimeout(h.timer);
      this.send(h.header, h.body, h.slot);
    }
  }

  private onRequest(body: Buffer): void {
    if (this.closed) return;
    if (this.certificateLogin?.state === "pending") {
      this.certificateLogin.waiting.push(body);
      return;
    }
    const header = parseRequestHeader(body, this.ctx.protocol.specs);
    if (this.certificateLogin?.state === "refused")
      return this.refuseRequest(header, body, this.certificateLogin.reason);
    const config = this.ctx.config();
    if (config.fence && this.ctx.fence.mode === "answer-at-once" && header.apiKey !== ApiKey.ApiVersions) {
      // The real Gateway answers a fenced route's requests itself, the SASL exchange of a new connection included.
      const slot = this.reserve(header, body);
      if (slot) this.answerFenced(header, body, slot, config.fence.errorCode);
      return;
    }
    if (config.auth.mode === "swap" && header.apiKey !== ApiKey.ApiVersions) {
      if (header.apiKey === ApiKey.SaslHandshake) return this.onHandshake(header, body, config);
      if (header.apiKey === ApiKey.SaslAuthenticate) return this.onAuthenticate(header, body, config);
      if (!this.authenticated) throw new Error(`API key ${header.apiKey} before SASL authentication`);
      // The registration route answers AlterUserScramCredentials itself (fence or not); the cluster never sees it.
      if (header.apiKey === ApiKey.AlterUserScramCredentials && config.auth.registrar)
        return this.onAlterScram(header, body, config.auth);
    }
    if ((config.fence && !HOLD_EXEMPT.has(header.apiKey)) || this.held.length > 0) {
      return this.hold(header, body, config.fence?.errorCode ?? ErrorCode.BROKER_NOT_AVAILABLE);
    }
    this.send(header, body, this.reserve(header, body));
  }

  private expectsResponse(header: RequestHeader, body: Buffer): boolean {
    if (header.apiKey !== ApiKey.Produce) return true;
    return this.ctx.protocol.decodeRequest(body, header).Acks !== 0;
  }

  private reserve(header: RequestHeader, body: Buffer): Slot | undefined {
    if (!this.expectsResponse(header, body)) return undefined;
    const slot: Slot = { header };
    this.slots.push(slot);
    return slot;
  }

  private send(header: RequestHeader, body: Buffer, slot: Slot | undefined): void {
    if (slot) this.awaitingUpstream.set(header.correlationId, slot);
    this.upstream.write(frame(body));
  }

  private hold(header: RequestHeader, body: Buffer, errorCode: number): void {
    const slot = this.reserve(header, body);
    const holdMs = this.ctx.fence.mode === "hold-then-answer" ? this.ctx.fence.holdMs : 0;
    const held: Held = {
      header,
      body,
      slot,
      timer: setTimeout(() => this.guard(() => this.answerHeld(held, errorCode)), holdMs),
    };
    this.held.push(held);
  }

  private answerHeld(held: Held, errorCode: number): void {
    const index = this.held.indexOf(held);
    if (index < 0) return;
    this.held.splice(index, 1);
    if (held.slot) this.answerFenced(held.header, held.body, held.slot, errorCode);
  }

  /** Answers a request with the fence's error code in its API's response shape. */
  private answerFenced(header: RequestHeader, body: Buffer, slot: Slot, errorCode: number): void {
    const { protocol } = this.ctx;
    const response = buildErrorResponse(
      protocol.response(header.apiKey),
      protocol.request(header.apiKey),
      header.apiVersion,
      protocol.decodeRequest(body, header),
      errorCode,
      `route ${this.ctx.config().name} is fenced by the gateway`,
    );
    this.fill(slot, protocol.encodeResponse(header.apiKey, header.apiVersion, header.correlationId, response));
  }

  private fill(slot: Slot, response: Buffer): void {
    slot.response = response;
    while (this.slots.length > 0 && this.slots[0].response) {
      const next = this.slots.shift() as Slot;
      this.client.write(next.response as Buffer);
    }
  }

  private respond(slot: Slot | undefined, body: Struct): void {
    if (!slot) return;
    const { apiKey, apiVersion, correlationId } = slot.header;
    this.fill(slot, this.ctx.protocol.encodeResponse(apiKey, apiVersion, correlationId, body));
  }

  private onResponse(body: Buffer): void {
    const correlationId = body.readInt32BE(0);
    const internal = this.internal.get(correlationId);
    if (internal) {
      this.internal.delete(correlationId);
      internal.resolve(body);
      return;
    }
    const slot = this.awaitingUpstream.get(correlationId);
    if (!slot) throw new Error(`upstream answered unknown correlation id ${correlationId}`);
    this.awaitingUpstream.delete(correlationId);
    this.fill(slot, this.rewrite(slot.header, body));
  }

  private rewrite(header: RequestHeader, body: Buffer): Buffer {
    const { protocol } = this.ctx;
    const { apiKey, apiVersion, correlationId } = header;
    if (apiKey === ApiKey.ApiVersions) {
      // An unsupported request version is answered in v0 layout with an error: relay it untouched.
      if (body.readInt16BE(4) !== ErrorCode.NONE) return frame(body);
      const decoded = protocol.decodeResponse(body, apiKey, apiVersion);
      capApiVersions(decoded, protocol);
      const auth = this.ctx.config().auth;
      if (auth.mode === "swap" && auth.registrar) ensureApiVersion(decoded, protocol, ApiKey.AlterUserScramCredentials);
      return protocol.encodeResponse(apiKey, apiVersion, correlationId, decoded);
    }
    if (!ADDRESS_APIS.has(apiKey)) return frame(body);
    const decoded = protocol.decodeResponse(body, apiKey, apiVersion);
    rewriteAddresses(apiKey, decoded, this.ctx.addressMapper(this.target));
    return protocol.encodeResponse(apiKey, apiVersion, correlationId, decoded);
  }

  private onHandshake(header: RequestHeader, body: Buffer, config: RouteConfig): void {
    const slot = this.reserve(header, body);
    if (config.auth.mode !== "swap") return;
    const mechanisms = config.auth.mechanisms;
    if (header.apiVersion < 1 || this.authenticated) {
      // v0 means unframed SASL tokens, and re-authentication would need a new upstream login: neither is supported.
      this.respond(slot, { ErrorCode: ErrorCode.ILLEGAL_SASL_STATE, Mechanisms: mechanisms });
      return this.closeSoon();
    }
    const mechanism = str(this.ctx.protocol.decodeRequest(body, header).Mechanism);
    if (!(mechanisms as string[]).includes(mechanism)) {
      this.respond(slot, { ErrorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, Mechanisms: mechanisms });
      return;
    }
    const auth = config.auth;
    this.sasl = {
      mechanism,
      scram: isScramMechanism(mechanism)
        ? new ScramServer(mechanism, (user) => auth.scram(mechanism, user))
        : undefined,
    };
    this.respond(slot, { ErrorCode: ErrorCode.NONE, Mechanisms: mechanisms });
  }

  private onAuthenticate(header: RequestHeader, body: Buffer, config: RouteConfig): void {
    const slot = this.reserve(header, body);
    if (config.auth.mode !== "swap") return;
    const token = bytes(this.ctx.protocol.decodeRequest(body, header).AuthBytes);
    const fail = (message: string): void => {
      this.respond(slot, {
        ErrorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
        ErrorMessage: message,
        AuthBytes: Buffer.alloc(0),
      });
      this.closeSoon();
    };
    if (!this.sasl || this.authenticated) return fail("SaslAuthenticate without a SaslHandshake");
    const mechanism = this.sasl.mechanism;
    let principal: string;
    let reply: Buffer = Buffer.alloc(0);
    if (this.sasl.scram) {
      const step = this.sasl.scram.step(token);
      if (step.kind === "failed")
        return fail(
          `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}: ${step.reason}`,
        );
      if (step.kind === "challenge") {
        this.respond(slot, { ErrorCode: ErrorCode.NONE, AuthBytes: step.message, SessionLifetimeMs: 0n });
        return;
      }
      principal = step.principal;
      reply = step.message;
    } else {
      const plain = parsePlain(token);
      if (!plain || !config.auth.plain(plain.username, plain.password))
        return fail("Authentication failed: Invalid username or password");
      principal = plain.username;
    }
    const login = config.auth.cluster(principal);
    if (typeof login === "string") return fail(`Authentication failed: ${login}`);
    this.upstreamLogin(login).then(
      () => {
        this.authenticated = true;
        this.respond(slot, { ErrorCode: ErrorCode.NONE, AuthBytes: reply, SessionLifetimeMs: 0n });
      },
      (err: Error) => {
        const reason = `gateway could not log in upstream for ${principal}: ${err.message}`;
        this.ctx.log(`route ${config.name}: refusing ${principal}: ${reason}`);
        fail(reason);
      },
    );
  }

  /** Stores the request's SCRAM credentials in the gateway's verifier store and answers it; nothing goes upstream. */
  private onAlterScram(header: RequestHeader, body: Buffer, auth: SwapAuth): void {
    const slot = this.reserve(header, body);
    const request = this.ctx.protocol.decodeRequest(body, header);
    const deletions = structs(request.Deletions).map((d) => ({ name: str(d.Name), mechanism: int(d.Mechanism) }));
    const upsertions = structs(request.Upsertions).map((u) => ({
      name: str(u.Name),
      mechanism: int(u.Mechanism),
      iterations: int(u.Iterations),
      salt: bytes(u.Salt),
      saltedPassword: bytes(u.SaltedPassword),
    }));
    const registrar = auth.registrar;
    if (!registrar) return;
    registrar.alter(deletions, upsertions).then(
      (results) => {
        if (this.closed) return;
        const names = results
          .map((r) => `${r.user}${r.errorCode === ErrorCode.NONE ? "" : ` (error ${r.errorCode})`}`)
          .join(", ");
        this.ctx.log(`route ${this.ctx.config().name}: AlterUserScramCredentials ${names}`);
        this.respond(slot, {
          ThrottleTimeMs: 0,
          Results: results.map((r) => ({ User: r.user, ErrorCode: r.errorCode, ErrorMessage: r.errorMessage })),
        });
      },
      (err: Error) =>
        this.guard(() => {
          throw err;
        }),
    );
  }

  /**
   * Logs in to the upstream, before anything else is forwarded: SASL/PLAIN as the jaas template filled for the
   * principal, or SASL/OAUTHBEARER with its OAuth client's token (fetched first, as Kafka's login module does).
   */
  private async upstreamLogin(login: UpstreamLogin): Promise<void> {
    const oauth = "token" in login ? login : undefined;
    const token = oauth ? await oauth.token() : undefined;
    const mechanism = oauth ? "OAUTHBEARER" : "PLAIN";
    const handshake = await this.sendInternal(ApiKey.SaslHandshake, 1, { Mechanism: mechanism });
    if (handshake.ErrorCode !== ErrorCode.NONE)
      throw new Error(
        `upstream SaslHandshake error ${String(handshake.ErrorCode)} for ${mechanism} (the cluster offers ${String(handshake.Mechanisms)})`,
      );
    const first =
      oauth && token !== undefined
        ? oauthBearerClientFirstMessage(token, oauth.extensions)
        : Buffer.from(`\u0000${(login as PlainLogin).username}\u0000${(login as PlainLogin).password}`, "utf8");
    const auth = await this.sendInternal(ApiKey.SaslAuthenticate, 1, { AuthBytes: first });
    if (auth.ErrorCode !== ErrorCode.NONE)
      throw new Error(str(auth.ErrorMessage) || `upstream SaslAuthenticate error ${String(auth.ErrorCode)}`);
    const challenge = bytes(auth.AuthBytes);
    if (!oauth || challenge.length === 0) return;
    // RFC 7628 §3.2.2: a refused token comes back as an error challenge; the client acknowledges it with a lone
    // %x01 and the server then fails the exchange with its reason.
    const ack = await this.sendInternal(ApiKey.SaslAuthenticate, 1, { AuthBytes: Buffer.from([1]) });
    throw new Error(
      `the cluster refused the token of OAuth client ${oauth.oauthClient}: ${str(ack.ErrorMessage) || challenge.toString("utf8")}${expiryHint(token)}`,
    );
  }

  private sendInternal(apiKey: number, apiVersion: number, request: Struct): Promise<Struct> {
    const { protocol } = this.ctx;
    const correlationId = this.nextInternalId++;
    const headerVersion = protocol.specs.requestIsFlexible(apiKey, apiVersion) ? 2 : 1;
    const header = encodeRequestHeader(
      { apiKey, apiVersion, correlationId, clientId: "kafka-cutover-gateway" },
      headerVersion,
    );
    return new Promise<Struct>((resolve, reject) => {
      this.internal.set(correlationId, {
        resolve: (body) => resolve(protocol.decodeResponse(body, apiKey, apiVersion)),
        reject,
      });
      this.upstream.write(frame(Buffer.concat([header, protocol.request(apiKey).encode(request, apiVersion)])));
    });
  }

  private closeSoon(): void {
    this.ending = true;
    this.client.end(() => this.close());
  }
}

/** A refused token that had expired says so: the cluster's answer (`invalid_token`) does not. */
function expiryHint(token: string | undefined): string {
  let exp: unknown;
  try {
    exp = token === undefined ? undefined : jwtClaims(token).exp;
  } catch {
    return "";
  }
  if (typeof exp !== "number" || exp * 1000 > Date.now()) return "";
  return ` (the token expired at ${new Date(exp * 1000).toISOString()}, ${Math.round(Date.now() / 1000 - exp)} s ago)`;
}

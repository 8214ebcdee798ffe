/**
 * The cutover as a Pulumi dynamic provider (loaded through dynamic/delegate.ts).
 *
 *   check   the preflight: every blocker as a failure on the property it concerns (preview and up)
 *   diff    what up will do: cut over, nothing (already cut over), or refuse; never a replace
 *   create  records the group (standing by), or cuts it over when its config asks for it
 *   update  cuts the group over when `requested` turns true; resumes a cutover a crash left part-way
 *   delete  forgets the resource; a cutover is never undone
 */
import type * as pulumi from "@pulumi/pulumi";
import { ClusterLinkRestClient } from "../../clients/clusterLinkRest";
import { KubernetesClient } from "../../clients/kubernetes";
import { CutoverInputs, CutoverOutputs, containsUnknown } from "./inputs";
import { LiveRoute } from "./liveRoute";
import { connectAdmin } from "./offsets";
import { preflight } from "./preflight";
import { Progress, engineProgress, memoryProgress } from "./progress";
import { CutoverContext, observe, rollback, runCutover } from "./sequence";
import { Timeline } from "./timeline";

function progressFor(inputs: CutoverInputs): Progress {
    return engineProgress(inputs.urn) ?? memoryProgress();
}

/** Outputs never carry credentials: they stay in the (secret) inputs only. */
function outputsOf(inputs: CutoverInputs, rest: Omit<CutoverOutputs, keyof CutoverInputs>): Record<string, unknown> {
    return { group: inputs.group, requested: inputs.requested, topics: inputs.topics, consumerGroups: inputs.consumerGroups, ...rest };
}

export const provider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: CutoverInputs | undefined, news: CutoverInputs) {
        if (!news.requested) return { inputs: news };
        if (containsUnknown(news)) {
            progressFor(news).info(`preflight of group ${news.group}: some inputs are not known until up (resources still to be created); checked at up`);
            return { inputs: news };
        }
        const report = await preflight(news);
        const progress = progressFor(news);
        for (const note of report.notes) progress.info(`preflight: ${note}`);
        if (report.blockers.length === 0) progress.info(`preflight: nothing blocks the cutover of group ${news.group}`);
        return { inputs: news, failures: report.blockers.map((b) => ({ property: b.property, reason: b.reason })) };
    },

    async diff(_id: string, olds: CutoverOutputs, news: CutoverInputs) {
        if (olds.state === "cut-over" && !news.requested) {
            throw new Error(`group ${news.group} was cut over at ${olds.completedAt ?? "an earlier update"}; a cutover cannot be undone: set its cutover back to true`);
        }
        if (olds.state === "cut-over") {
            // Done is done: only a change to what the resource records (e.g. rotated credentials) updates it.
            return { changes: JSON.stringify({ ...olds, state: undefined }) !== JSON.stringify({ ...olds, ...news, state: undefined }), replaces: [], deleteBeforeReplace: false };
        }
        const changed = Object.keys(news).filter((k) => JSON.stringify((olds as unknown as Record<string, unknown>)[k]) !== JSON.stringify((news as unknown as Record<string, unknown>)[k]));
        return { changes: changed.length > 0 || news.requested, replaces: [], stables: ["group"] };
    },

    async create(inputs: CutoverInputs) {
        return { id: inputs.group, outs: await apply(inputs) };
    },

    async update(_id: string, olds: CutoverOutputs, news: CutoverInputs) {
        if (olds.state === "cut-over") return { outs: outputsOf(news, { state: "cut-over", timeline: olds.timeline, ...(olds.blockedWindowMs !== undefined ? { blockedWindowMs: olds.blockedWindowMs } : {}), ...(olds.completedAt ? { completedAt: olds.completedAt } : {}) }) };
        return { outs: await apply(news) };
    },

    async delete() {
        // Nothing to undo: before a cutover there is nothing to remove, after it there is no way back.
    },
};

/** Cuts over (requested) or stands by; in both cases first reconciles with what a crash may have left. */
async function apply(inputs: CutoverInputs): Promise<Record<string, unknown>> {
    const progress = progressFor(inputs);
    const timeline = new Timeline(progress);
    const ctx = await connect(inputs, progress, timeline);
    try {
        if (!inputs.requested) {
            const observed = await observe(ctx);
            if (observed.phase === "fenced") await rollback(ctx, new Error("a previous cutover stopped before promotion and the group's config no longer asks for it"));
            if (observed.phase === "promoting" || observed.phase === "done") {
                throw new Error(`group ${inputs.group} has mirror topics promoted already: its cutover cannot be undone; set its cutover to true and run pulumi up to finish it`);
            }
            return outputsOf(inputs, { state: "standing-by", timeline: timeline.entries });
        }
        const result = await runCutover(ctx);
        const completedAt = new Date().toISOString();
        if (result.blockedWindowMs !== undefined) progress.info(`group ${inputs.group} cut over: clients were held for ${result.blockedWindowMs} ms`);
        return outputsOf(inputs, { state: "cut-over", timeline: timeline.entries, completedAt, ...(result.blockedWindowMs !== undefined ? { blockedWindowMs: result.blockedWindowMs } : {}) });
    } finally {
        await ctx.close();
    }
}

async function connect(inputs: CutoverInputs, progress: Progress, timeline: Timeline): Promise<CutoverContext & { close(): Promise<void> }> {
    let aborted = false;
    const onSignal = () => {
        aborted = true;
        progress.warn("interrupted: compensating before exiting");
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    const k8s = new KubernetesClient({ kubeconfig: inputs.gateway.kubeconfig });
    const rest = new ClusterLinkRestClient({ restEndpoint: inputs.link.restEndpoint, clusterId: inputs.link.clusterId, apiKey: inputs.link.apiKey, apiSecret: inputs.link.apiSecret, timeoutMs: 10_000 });
    const [source, destination] = await Promise.all([connectAdmin(inputs.source, "kafka-cutover-source"), connectAdmin(inputs.destination, "kafka-cutover-destination")]);
    return {
        inputs, rest, source, destination, progress, timeline,
        route: new LiveRoute(k8s, inputs.gateway.namespace, inputs.gateway.name, inputs.group),
        aborted: () => aborted,
        async close() {
            process.off("SIGINT", onSignal);
            process.off("SIGTERM", onSignal);
            await Promise.allSettled([source.disconnect(), destination.disconnect()]);
        },
    };
}

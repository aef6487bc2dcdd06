using System.Globalization;
using System.Text;

namespace Campaigns.Benchmarks.Report;

/// <summary>The short table printed at the end of a run (and pasted into docs/performance.md).</summary>
public static class MarkdownTable
{
    public static string Render(BenchmarkReport report)
    {
        var table = new StringBuilder();
        table.AppendLine("| scenario | measured | floor / ideal / target | ratio (reads: throughput) |");
        table.AppendLine("|---|---:|---:|---:|");
        foreach (var accept in report.Accept)
        {
            Row(table, $"accept {accept.Recipients:N0}", $"{N(accept.Ms)} ms", $"{N(accept.FloorMs)} ms (COPY)", $"{accept.Ratio:0.00}×");
        }
        foreach (var accept in report.Accept.Where(a => a.MixedMs is not null))
        {
            Row(table, $"accept {accept.Recipients:N0} with 3 variants, 2 translations, tracked links", $"{N(accept.MixedMs!.Value)} ms",
                $"{N(accept.Ms)} ms (plain send)", $"{accept.MixedRatio:0.00}×");
        }
        foreach (var accept in report.Accept.Where(a => a.WindowedCappedMs is not null))
        {
            Row(table, $"accept {accept.Recipients:N0} with window + cap", $"{N(accept.WindowedCappedMs!.Value)} ms",
                $"{N(accept.Ms)} ms (plain send)", $"{accept.WindowedCappedRatio:0.00}×");
        }
        if (report.SendEveryone is { } everyone)
        {
            Row(table, $"send_everyone {everyone.Recipients:N0}", $"{N(everyone.Ms)} ms",
                $"API RSS {N(everyone.ApiRssBeforeMb)} → peak {N(everyone.ApiPeakRssMb)} MB", $"+{N(everyone.ApiGrowthMb)} MB");
        }
        if (report.DeliverZeroLatency is { } zero)
        {
            Row(table, $"deliver_zero_latency {zero.Messages:N0}", $"{N(zero.PerSecond)} msg/s",
                $"{N(zero.FloorPerSecond ?? 0)} msg/s (SQL)", Percent(zero.PerSecond, zero.FloorPerSecond));
        }
        foreach (var (name, delivery) in new[]
                 {
                     ("deliver_default_latency", report.DeliverDefaultLatency), ("deliver_simulator", report.DeliverSimulator), ("scale", report.Scale),
                     ("scale_cluster", report.ScaleCluster),
                 })
        {
            if (delivery is not null)
            {
                Row(table, $"{name} {delivery.Messages:N0} (c={delivery.Concurrency}, ×{delivery.Replicas})",
                    $"{N(delivery.PerSecond)} msg/s", $"{N(delivery.IdealPerSecond ?? 0)} msg/s (ideal)",
                    Percent(delivery.PerSecond, delivery.IdealPerSecond));
                if (delivery is { ReceiptsPosted: { } posted, ReceiptsPerSecond: { } receiptRate, ReceiptsDrainedSeconds: { } drained })
                {
                    Row(table, $"{name}: its {posted:N0} receipts through the webhooks", $"{N(receiptRate)} /s",
                        $"all applied {N(drained)} s after their release", "");
                }
            }
        }
        if (report.Receipts is { } receipts)
        {
            Row(table, $"receipts {receipts.Messages:N0} accepted ({receipts.Clients} clients)", $"{N(receipts.PerSecond)} /s",
                report.Reads is { } statsReads ? $"{N(statsReads.CampaignStatsRequestsPerSecond)} req/s (GET /campaigns/{{id}})" : "",
                Percent(receipts.PerSecond, report.Reads?.CampaignStatsRequestsPerSecond));
            Row(table, $"receipts {receipts.Messages:N0} through the webhooks, all applied (lag p50 {receipts.AppliedP50Ms} / p95 {receipts.AppliedP95Ms} ms)",
                $"{N(receipts.EndToEndPerSecond)} /s", $"{N(receipts.AppliedSeconds)} s after the first post", "");
            Row(table, $"receipts {receipts.Messages:N0} applied by the applier", $"{N(receipts.AppliedPerSecond)} /s",
                $"{N(receipts.FloorPerSecond)} /s (SQL)", Percent(receipts.AppliedPerSecond, receipts.FloorPerSecond));
        }
        if (report.Memory is { } memory)
        {
            Row(table, "worker peak RSS", $"{N(memory.WorkerPeakMb)} MB", "< 300 MB (target)", "");
            Row(table, "API peak RSS", $"{N(memory.ApiPeakMb)} MB", "< 400 MB (target)", "");
        }
        if (report.Storage is { } storage)
        {
            if (storage.RedisBytesPerJob is { } perJob)
            {
                Row(table, "a waiting job in the send stream", $"{N(perJob)} B", "Redis MEMORY USAGE ÷ XLEN", "");
            }
            foreach (var footprint in storage.Tables)
            {
                Row(table, $"{footprint.Table}, {footprint.Rows:N0} rows ({footprint.RowsPerMessage:0.###} per message)",
                    $"{N(footprint.BytesPerRow)} B/row", $"heap, indexes and TOAST; {N(footprint.LiveBytesPerRow)} B/row live", "");
            }
        }
        if (report.Reads is { } reads)
        {
            Row(table, $"GET /campaigns/{{id}} ({reads.CampaignMessages:N0} msgs)",
                $"p50 {reads.CampaignStatsP50Ms} / p95 {reads.CampaignStatsP95Ms} ms", "< 25 ms p95 (target)",
                $"{N(reads.CampaignStatsRequestsPerSecond)} req/s, {reads.CampaignStatsCpuMsPerRequest} CPU ms/req");
            Row(table, $"GET /campaigns first page ({reads.Campaigns:N0})",
                $"p50 {reads.ListFirstPageP50Ms} / p95 {reads.ListFirstPageP95Ms} ms", "< 15 ms p95 (target)",
                $"{N(reads.ListFirstPageRequestsPerSecond)} req/s, {reads.ListFirstPageCpuMsPerRequest} CPU ms/req");
            Row(table, "GET /campaigns deep cursor page",
                $"p50 {reads.ListCursorP50Ms} / p95 {reads.ListCursorP95Ms} ms", "< 15 ms p95 (target)",
                $"{N(reads.ListCursorRequestsPerSecond)} req/s, {reads.ListCursorCpuMsPerRequest} CPU ms/req");
        }
        if (report.Links is { } links)
        {
            Row(table, $"GET /l/{{code}} ({links.Links:N0} links)", $"p50 {links.P50Ms} / p95 {links.P95Ms} ms",
                report.Reads is { } linkReads ? $"p95 {linkReads.CampaignStatsP95Ms} ms (GET /campaigns/{{id}})" : "",
                $"{N(links.RequestsPerSecond)} req/s, {links.CpuMsPerRequest} CPU ms/req");
        }
        if (report.Targets.Count > 0)
        {
            table.AppendLine();
            table.AppendLine("| target | goal | measured | met |");
            table.AppendLine("|---|---|---:|:---:|");
            foreach (var check in report.Targets)
            {
                table.AppendLine($"| {check.Name} | {check.Target} | {check.Measured} | {(check.Met ? "yes" : "**no**")} |");
            }
        }
        return table.ToString();
    }

    private static void Row(StringBuilder table, string scenario, string measured, string floor, string ratio) =>
        table.AppendLine($"| {scenario} | {measured} | {floor} | {ratio} |");

    private static string N(double value) => value.ToString(value >= 100 ? "N0" : "0.#", CultureInfo.InvariantCulture);

    private static string Percent(double measured, double? reference) =>
        reference is > 0 ? (measured / reference.Value).ToString("0%", CultureInfo.InvariantCulture) : "";
}

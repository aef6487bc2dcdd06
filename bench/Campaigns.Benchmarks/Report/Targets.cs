using System.Globalization;

namespace Campaigns.Benchmarks.Report;

/// <summary>The targets of issues 6, 14, 15 and 16, checked against what a run measured.</summary>
public static class Targets
{
    public static List<TargetCheck> Check(BenchmarkReport report)
    {
        var checks = new List<TargetCheck>();
        void Add(string name, string target, double measured, string unit, bool met) =>
            checks.Add(new TargetCheck(name, target, Format(measured) + unit, met));

        if (report.Accept.OrderBy(a => a.Recipients).LastOrDefault() is { } largest)
        {
            Add($"accept {largest.Recipients:N0} within 2× floor", "≤ 2×", largest.Ratio, "×", largest.Ratio <= 2);
        }
        if (report.Accept.OrderBy(a => a.Recipients).LastOrDefault() is { WindowedCappedRatio: { } windowedRatio } windowed)
        {
            Add($"accept {windowed.Recipients:N0} with window and cap within 1.3× plain", "≤ 1.3×", windowedRatio, "×", windowedRatio <= 1.3);
        }
        if (report.Accept.OrderBy(a => a.Recipients).LastOrDefault() is { MixedRatio: { } mixedRatio } mixed)
        {
            Add($"accept {mixed.Recipients:N0} with variants, translations and links within 1.5× plain", "≤ 1.5×", mixedRatio, "×", mixedRatio <= 1.5);
        }
        if (report.Accept.FirstOrDefault(a => a.Recipients == 10_000) is { } tenThousand)
        {
            Add("accept 10,000 under 300 ms", "< 300 ms", tenThousand.Ms, " ms", tenThousand.Ms < 300);
        }
        if (report.DeliverZeroLatency is { FloorPerSecond: > 0 } zero)
        {
            var share = zero.PerSecond / zero.FloorPerSecond.Value;
            Add("deliver_zero_latency ≥ 40% of floor", "≥ 40%", share * 100, "%", share >= 0.40);
        }
        // The claim ahead keeps every slot busy (#17); through the simulator its receipts and the API share the cores (#14).
        foreach (var (name, delivery, target) in new[]
                 {
                     ("deliver_default_latency", report.DeliverDefaultLatency, 0.95), ("deliver_simulator", report.DeliverSimulator, 0.80),
                 })
        {
            if (delivery is { IdealPerSecond: > 0 } latency)
            {
                var share = latency.PerSecond / latency.IdealPerSecond.Value;
                Add($"{name} ≥ {target:P0} of ideal (concurrency {latency.Concurrency})", $"≥ {target:P0}", share * 100, "%", share >= target);
            }
        }
        if (report.Receipts is { FloorPerSecond: > 0 } receipts)
        {
            var share = receipts.AppliedPerSecond / receipts.FloorPerSecond;
            Add("receipts applied ≥ 50% of floor", "≥ 50%", share * 100, "%", share >= 0.50);
        }
        if (report.Receipts is { } accepted && report.Reads is { CampaignStatsRequestsPerSecond: > 0 } statsReads)
        {
            var share = accepted.PerSecond / statsReads.CampaignStatsRequestsPerSecond;
            Add("receipts accepted ≥ 50% of GET /campaigns/{id} rate", "≥ 50%", share * 100, "%", share >= 0.50);
        }
        if (report.Memory is { WorkerPeakMb: > 0 } workerMemory)
        {
            Add("worker peak RSS", "< 300 MB", workerMemory.WorkerPeakMb, " MB", workerMemory.WorkerPeakMb < 300);
        }
        if (report.Memory is { ApiPeakMb: > 0 } apiMemory)
        {
            Add("API peak RSS", "< 400 MB", apiMemory.ApiPeakMb, " MB", apiMemory.ApiPeakMb < 400);
        }
        if (report.Reads is { } reads)
        {
            Add($"campaign stats p95 ({reads.CampaignMessages:N0} messages)", "< 25 ms", reads.CampaignStatsP95Ms, " ms", reads.CampaignStatsP95Ms < 25);
            Add($"list first page p95 ({reads.Campaigns:N0} campaigns)", "< 15 ms", reads.ListFirstPageP95Ms, " ms", reads.ListFirstPageP95Ms < 15);
            Add("list cursor page p95", "< 15 ms", reads.ListCursorP95Ms, " ms", reads.ListCursorP95Ms < 15);
        }
        if (report.Links is { } links && report.Reads is { CampaignStatsP95Ms: > 0 } linkReads)
        {
            var ratio = links.P95Ms / linkReads.CampaignStatsP95Ms;
            Add($"GET /l/{{code}} p95 ({links.Links:N0} links) within 1.5× GET /campaigns/{{id}}", "≤ 1.5×", ratio, "×", ratio <= 1.5);
        }
        return checks;
    }

    private static string Format(double value) => value.ToString(value >= 100 ? "N0" : "0.#", CultureInfo.InvariantCulture);
}

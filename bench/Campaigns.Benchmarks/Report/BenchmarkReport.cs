namespace Campaigns.Benchmarks.Report;

/// <summary>What one run measured: written to <c>bench/results/latest.json</c> with snake_case names.</summary>
public sealed class BenchmarkReport
{
    public required string Timestamp { get; init; }

    /// <summary><c>quick</c> or <c>full</c>.</summary>
    public required string Mode { get; init; }

    public required MachineInfo Machine { get; init; }

    public List<AcceptResult> Accept { get; } = [];

    public DeliveryResult? DeliverZeroLatency { get; set; }

    public DeliveryResult? DeliverDefaultLatency { get; set; }

    /// <summary>As deliver_default_latency, through the provider simulator (its default latency) instead of the mock.</summary>
    public DeliveryResult? DeliverSimulator { get; set; }

    public ReceiptsResult? Receipts { get; set; }

    public MemoryResult? Memory { get; set; }

    public SendEveryoneResult? SendEveryone { get; set; }

    public ReadsResult? Reads { get; set; }

    /// <summary><c>GET /l/{code}</c> over the reads campaign's links.</summary>
    public LinksResult? Links { get; set; }

    public DeliveryResult? Scale { get; set; }

    /// <summary>Bytes a message takes in Redis (a waiting job) and in Postgres (its rows once delivered).</summary>
    public StorageResult? Storage { get; set; }

    /// <summary>As scale, with Redis as a local cluster of three masters and the queue in one shard per master.</summary>
    public DeliveryResult? ScaleCluster { get; set; }

    /// <summary>CPU seconds per part of the graph (postgres, redis, api, worker, simulator, harness, orchestration) and wall seconds, per scenario.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, double>> CpuSeconds { get; } = [];

    /// <summary>Postgres's most expensive statements per scenario (pg_stat_statements), when the extension is there.</summary>
    public Dictionary<string, IReadOnlyList<Data.StatementProfile.Statement>> DatabaseStatements { get; } = [];

    public List<TargetCheck> Targets { get; set; } = [];

    public double TotalSeconds { get; set; }
}

/// <param name="Ms">Time until the 202 of <c>POST /campaigns/{id}/send</c>.</param>
/// <param name="FloorMs">One binary COPY of the same number of rows into outbound_messages.</param>
public sealed record AcceptResult(int Recipients, double Ms, double FloorMs)
{
    public double Ratio => Math.Round(Ms / FloorMs, 2);

    /// <summary>
    /// The same send to a campaign with a send window (open for every recipient: nothing deferred) from an
    /// API with the sms frequency cap on (no recipient at it: nobody skipped), until its 202.
    /// </summary>
    public double? WindowedCappedMs { get; init; }

    /// <summary><see cref="WindowedCappedMs"/> ÷ <see cref="Ms"/> (issue 15: at most 1.3 at 100,000).</summary>
    public double? WindowedCappedRatio => WindowedCappedMs is { } windowed ? Math.Round(windowed / Ms, 2) : null;

    /// <summary>The same send to a campaign of three variants with two translations each and link tracking, until its 202.</summary>
    public double? MixedMs { get; init; }

    /// <summary><see cref="MixedMs"/> ÷ <see cref="Ms"/> (issue 16: at most 1.5 at 100,000).</summary>
    public double? MixedRatio => MixedMs is { } mixed ? Math.Round(mixed / Ms, 2) : null;
}

/// <summary>A campaign delivered from its 202 until it is <c>sent</c>.</summary>
public sealed record DeliveryResult
{
    public required int Messages { get; init; }

    public required double Seconds { get; init; }

    public required double PerSecond { get; init; }

    /// <summary>deliver_zero_latency: the raw-SQL floor, messages/s.</summary>
    public double? FloorPerSecond { get; init; }

    /// <summary>
    /// Latency scenarios, messages/s of a perfect pipeline: the messages' expected attempts back to back on every slot
    /// (replicas × concurrency ÷ mean latency attempts/s), then the last messages' shortest retry chain (<see cref="IdealRetryTailSeconds"/>).
    /// </summary>
    public double? IdealPerSecond { get; init; }

    /// <summary>What the ideal leaves for the retries of the last messages (their shortest backoffs and calls), in seconds.</summary>
    public double? IdealRetryTailSeconds { get; init; }

    public required int Concurrency { get; init; }

    public required int Replicas { get; init; }

    /// <summary>Accepted by the provider (receipts may have moved them on to delivered or undelivered since).</summary>
    public required int Sent { get; init; }

    public required int Failed { get; init; }

    /// <summary>deliver_simulator: what the simulator's receipts decided, once all were applied.</summary>
    public int? Delivered { get; init; }

    public int? Undelivered { get; init; }

    /// <summary>deliver_simulator: from the receipts' release (at the campaign's end) until the last was applied.</summary>
    public double? ReceiptsDrainedSeconds { get; init; }

    /// <summary>deliver_simulator: the receipts the simulator posted to the webhooks.</summary>
    public long? ReceiptsPosted { get; init; }

    /// <summary>deliver_simulator: <see cref="ReceiptsPosted"/> ÷ <see cref="ReceiptsDrainedSeconds"/>.</summary>
    public double? ReceiptsPerSecond { get; init; }
}

/// <summary>
/// A send to every customer (<c>{"audience": {}}</c>): the time until its 202, and the API's resident memory
/// just before it and at its peak while it ran.
/// </summary>
public sealed record SendEveryoneResult(int Recipients, double Ms, double ApiRssBeforeMb, double ApiPeakRssMb)
{
    public double ApiGrowthMb => Math.Round(ApiPeakRssMb - ApiRssBeforeMb, 1);
}

/// <summary>N signed Twilio status callbacks posted to the webhook, and applied by the worker.</summary>
public sealed record ReceiptsResult
{
    public required int Messages { get; init; }

    /// <summary>Concurrent clients posting.</summary>
    public required int Clients { get; init; }

    /// <summary>Accepted by the webhook: N ÷ the time from the first post until the last 204.</summary>
    public required double PerSecond { get; init; }

    public required double AcceptedSeconds { get; init; }

    /// <summary>
    /// The applier's rate: N receipts stored in the inbox at once, N ÷ the time until all are applied
    /// (what the floor is compared with; with webhooks the rate is the accepted one, see below).
    /// </summary>
    public required double AppliedPerSecond { get; init; }

    /// <summary>With the webhooks: the time from the first post until the campaign counts every message delivered.</summary>
    public required double AppliedSeconds { get; init; }

    /// <summary>N ÷ <see cref="AppliedSeconds"/>: bounded by the accepted rate (receipts are applied as they arrive).</summary>
    public required double EndToEndPerSecond { get; init; }

    /// <summary>The batched SQL update of N messages by provider id, receipts/s: the two below together (both floors' receipts over both floors' time).</summary>
    public required double FloorPerSecond { get; init; }

    /// <summary>The floor measured before the warm-up.</summary>
    public required double FloorBeforePerSecond { get; init; }

    /// <summary>The floor measured right after the applier's drain.</summary>
    public required double FloorAfterPerSecond { get; init; }

    /// <summary>Per receipt, from its 204 until its message was applied.</summary>
    public required double AppliedP50Ms { get; init; }

    public required double AppliedP95Ms { get; init; }

    public required double AppliedMaxMs { get; init; }
}

public sealed record MemoryResult(double WorkerPeakMb, double ApiPeakMb);

public sealed record ReadsResult
{
    public required int CampaignMessages { get; init; }

    public required int Campaigns { get; init; }

    public required int Clients { get; init; }

    public required int Requests { get; init; }

    public required double CampaignStatsP50Ms { get; init; }

    public required double CampaignStatsP95Ms { get; init; }

    public required double ListFirstPageP50Ms { get; init; }

    public required double ListFirstPageP95Ms { get; init; }

    public required double ListCursorP50Ms { get; init; }

    public required double ListCursorP95Ms { get; init; }

    public required double CampaignStatsRequestsPerSecond { get; init; }

    public required double ListFirstPageRequestsPerSecond { get; init; }

    public required double ListCursorRequestsPerSecond { get; init; }

    /// <summary>EXPLAIN ANALYZE execution time of each statement behind the endpoints, best of three.</summary>
    public required IReadOnlyDictionary<string, double> DatabaseMs { get; init; }

    /// <summary>CPU milliseconds per request of Postgres, Redis, the API, the workers and the simulator together (issue 17).</summary>
    public required double CampaignStatsCpuMsPerRequest { get; init; }

    public required double ListFirstPageCpuMsPerRequest { get; init; }

    public required double ListCursorCpuMsPerRequest { get; init; }
}

public sealed record LinksResult
{
    public required long Links { get; init; }

    public required int Clients { get; init; }

    public required int Requests { get; init; }

    public required double P50Ms { get; init; }

    public required double P95Ms { get; init; }

    public required double RequestsPerSecond { get; init; }

    /// <summary>CPU milliseconds per redirect of the system's processes together.</summary>
    public required double CpuMsPerRequest { get; init; }
}

public sealed record TargetCheck(string Name, string Target, string Measured, bool Met);

/// <param name="RedisBytesPerJob">The send stream's memory per waiting job (MEMORY USAGE over XLEN, after accept).</param>
/// <param name="Tables">
/// Per message table, after the deliveries: rows, bytes per row (heap, indexes, TOAST: what the files take), live bytes per
/// row (the live tuples and index entries in them), rows per message.
/// </param>
public sealed record StorageResult(double? RedisBytesPerJob, IReadOnlyList<TableFootprint> Tables);

public sealed record TableFootprint(string Table, long Rows, double BytesPerRow, double LiveBytesPerRow, double RowsPerMessage);

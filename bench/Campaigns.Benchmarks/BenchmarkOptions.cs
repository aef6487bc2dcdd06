using System.Globalization;

namespace Campaigns.Benchmarks;

/// <summary>What to measure and at which sizes. <c>--quick</c> shrinks everything for the test suite.</summary>
public sealed record BenchmarkOptions
{
    public bool Quick { get; init; }

    /// <summary>Audience sizes of the accept scenario (customer_ids per send).</summary>
    public IReadOnlyList<int> Recipients { get; init; } = [10_000, 100_000];

    /// <summary>Messages of each delivery scenario.</summary>
    public int DeliverMessages { get; init; } = 100_000;

    /// <summary>Messages of the campaign whose stats are read.</summary>
    public int MessagesPerCampaign { get; init; } = 1_000_000;

    /// <summary>Campaigns in the table the list pages are read from.</summary>
    public int Campaigns { get; init; } = 100_000;

    /// <summary><c>Worker:Concurrency</c> of the default-latency and scale scenarios.</summary>
    public int Concurrency { get; init; } = 512;

    public int ScaleReplicas { get; init; } = 2;

    /// <summary>Concurrent clients of the read scenarios.</summary>
    public int Clients { get; init; } = 16;

    /// <summary>Measured requests per read scenario (after <see cref="WarmupRequests"/>).</summary>
    public int Requests { get; init; } = 2_000;

    public int WarmupRequests { get; init; } = 200;

    /// <summary>
    /// Messages of the receipts scenario: one Twilio status callback posted for each. 60,000 so that the applier's drain
    /// and the floor each run for seconds, not a fraction of one: at 20,000 the floor measured before and after the
    /// drain differed by up to a third and the ratio swung between 31% and 65%; at 60,000 the two floors agreed within 3%.
    /// </summary>
    public int ReceiptMessages { get; init; } = 60_000;

    /// <summary>Concurrent clients posting the receipts (a provider calls back over many connections).</summary>
    public int ReceiptClients { get; init; } = 32;

    /// <summary>Scenarios to run: accept, everyone, deliver, receipts, reads (links included), scale, scale_cluster (default: all).</summary>
    public IReadOnlySet<string> Only { get; init; } = AllScenarios;

    public string Output { get; init; } = Path.Combine("bench", "results", "latest.json");

    /// <summary>Extra worker settings for every scenario (experiments: <c>Worker__OutcomeBatchSize=500</c>).</summary>
    public IReadOnlyDictionary<string, string> WorkerEnvironment { get; init; } = new Dictionary<string, string>();

    public static readonly IReadOnlySet<string> AllScenarios =
        new HashSet<string> { "accept", "everyone", "deliver", "receipts", "reads", "scale", "scale_cluster" };

    /// <summary>The scenarios of the one graph on a single Redis (scale_cluster starts its own).</summary>
    private static readonly IReadOnlySet<string> SingleRedisScenarios = AllScenarios.Except(["scale_cluster"]).ToHashSet();

    /// <summary>A minute's check that every scenario works; the cluster's graph of its own is left to full runs.</summary>
    public static BenchmarkOptions QuickDefaults => new()
    {
        Quick = true,
        Only = SingleRedisScenarios,
        Recipients = [1_000, 2_000],
        DeliverMessages = 2_000,
        MessagesPerCampaign = 10_000,
        Campaigns = 1_000,
        Requests = 200,
        WarmupRequests = 30,
        ReceiptMessages = 2_000,
    };

    public bool Runs(string scenario) => Only.Contains(scenario);

    public bool RunsOnSingleRedis => SingleRedisScenarios.Any(Runs);

    /// <summary>Customers the run needs: every audience and the read campaign draw from one pool.</summary>
    public int CustomersNeeded => new[] { DeliverMessages, MessagesPerCampaign, ReceiptMessages }.Concat(Recipients).Max();

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = args.Contains("--quick") ? QuickDefaults : new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--quick" => options,
                "--recipients" => options with { Recipients = Value().Split(',').Select(Int).ToArray() },
                "--messages" or "--deliver-messages" => options with { DeliverMessages = Int(Value()) },
                "--messages-per-campaign" => options with { MessagesPerCampaign = Int(Value()) },
                "--campaigns" => options with { Campaigns = Int(Value()) },
                "--concurrency" => options with { Concurrency = Int(Value()) },
                "--replicas" => options with { ScaleReplicas = Int(Value()) },
                "--clients" => options with { Clients = Int(Value()) },
                "--requests" => options with { Requests = Int(Value()) },
                "--warmup" => options with { WarmupRequests = Int(Value()) },
                "--receipts" => options with { ReceiptMessages = Int(Value()) },
                "--receipt-clients" => options with { ReceiptClients = Int(Value()) },
                "--only" => options with { Only = Value().Split(',').Select(s => s.Trim()).ToHashSet() },
                "--output" => options with { Output = Value() },
                "--worker-env" => options with { WorkerEnvironment = Value().Split(',').Select(pair => pair.Split('=', 2))
                    .ToDictionary(pair => pair[0], pair => pair.Length == 2 ? pair[1] : throw new ArgumentException($"{pair[0]} needs =value")) },
                _ => throw new ArgumentException($"Unknown option {args[i]}\n{Usage}"),
            };
        }
        if (options.Only.Except(AllScenarios).FirstOrDefault() is { } unknown)
        {
            throw new ArgumentException($"Unknown scenario {unknown}; known: {string.Join(", ", AllScenarios)}");
        }
        return options;
    }

    public const string Usage = """
        Usage: dotnet run -c Release --project bench/Campaigns.Benchmarks -- [options]
          --quick                      a few thousand messages everywhere, small read datasets (under 2 minutes)
          --recipients 10000,100000    audience sizes of the accept scenario
          --messages 100000            messages of each delivery scenario
          --messages-per-campaign N    messages of the campaign whose stats are read (1000000)
          --campaigns N                campaigns the list pages are read from (100000)
          --concurrency 512            Worker:Concurrency of the default-latency and scale scenarios
          --replicas 2                 worker replicas of the scale scenario
          --clients 16 --requests 2000 --warmup 200   read load
          --receipts 60000 --receipt-clients 32       Twilio status callbacks posted, and by how many clients
          --only accept,everyone,deliver,receipts,reads,scale
                                       a subset of the scenarios (everyone: a send to every customer, as
                                       many as the largest size above)
          --worker-env Name=value,…    extra worker environment for every scenario (experiments)
          --output bench/results/latest.json
        """;

    private static int Int(string text) =>
        int.TryParse(text.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"'{text}' is not a positive integer");
}

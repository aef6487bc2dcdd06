using Aspire.Hosting;
using Campaigns.Tests.Infrastructure.OpenApi;
using Npgsql;

[assembly: AssemblyFixture(typeof(Campaigns.Tests.Infrastructure.AppFixture))]

namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// The one graph shared by every test in the run: started once, healthy before any test runs.
/// Tests create their own data with unique values, so they run in any order and in parallel.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    private CampaignsGraph? _graph;
    private NpgsqlDataSource? _database;
    private OtlpSink? _telemetry;
    private FakeLanguageModel? _model;

    public CampaignsGraph Graph => _graph ?? throw new InvalidOperationException("The graph has not started");

    /// <summary>Direct access to campaignsdb, for asserting what the API wrote.</summary>
    public NpgsqlDataSource Database => _database ?? throw new InvalidOperationException("The graph has not started");

    /// <summary>What the API and worker exported as traces.</summary>
    public OtlpSink Telemetry => _telemetry ?? throw new InvalidOperationException("The graph has not started");

    /// <summary>The graph's language model (<c>ConnectionStrings:ai</c>), answering as each campaign's instructions ask.</summary>
    public FakeLanguageModel Model => _model ?? throw new InvalidOperationException("The graph has not started");

    public HttpClient CreateApiClient() => Graph.CreateClient("api");

    public async ValueTask InitializeAsync()
    {
        _telemetry = await OtlpSink.StartAsync(TestContext.Current.CancellationToken);
        // Started before the graph, which is given its address.
        _model = await FakeLanguageModel.StartAsync(TestContext.Current.CancellationToken);
        _graph = await CampaignsGraph.StartAsync(builder =>
        {
            _telemetry.ExportFrom(builder);
            FakeLanguageModel.LimitCalls(builder);
        }, TestContext.Current.CancellationToken, [_model.AppHostArgument]);
        _database = NpgsqlDataSource.Create(await _graph.ConnectionStringAsync("campaignsdb"));
        using (var api = _graph.CreateClient())
        {
            await OpenApiConformance.LoadAsync(api, TestContext.Current.CancellationToken);
        }
        // Tests that call the worker's stores directly read rows the way the services do.
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        if (_graph is not null)
        {
            await _graph.DisposeAsync();
        }
        if (_telemetry is not null)
        {
            await _telemetry.DisposeAsync();
        }
        if (_model is not null)
        {
            await _model.DisposeAsync();
        }
        ReportConformance();
    }

    /// <summary>The run's OpenAPI conformance, and a failed run if any exchange did not match (even one a test caught).</summary>
    private static void ReportConformance()
    {
        if (OpenApiConformance.Contract is null)
        {
            return;
        }
        var summary = OpenApiConformance.Summary();
        Console.WriteLine(summary);
        TestContext.Current.SendDiagnosticMessage(summary);
        // Kept beside the test binaries (or where CAMPAIGNS_CONFORMANCE_REPORT says): a passing run prints nothing.
        var path = Environment.GetEnvironmentVariable("CAMPAIGNS_CONFORMANCE_REPORT") is { Length: > 0 } chosen
            ? chosen
            : Path.Combine(AppContext.BaseDirectory, "openapi-conformance.txt");
        File.WriteAllText(path, summary);
        OpenApiConformance.ThrowIfAnyMismatched();
    }
}

using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Aspire.Hosting.ApplicationModel;
using Campaigns.AppHost.Providers;
using Campaigns.Tests.Infrastructure;
using Npgsql;

namespace Campaigns.Tests.Simulated;

/// <summary>
/// A graph of its own with the provider simulator in it, as <c>./eng/run.sh</c> runs in Development: sms
/// through <c>africastalking</c> then <c>twilio</c>, whatsapp through <c>whatsapp-cloud</c>, signed receipts
/// back to the API's webhooks. Outcomes are made deterministic per phone prefix by the simulator's rules.
/// </summary>
public sealed class SimulatedGraph : IAsyncLifetime
{
    /// <summary>Accepted, then an undelivered receipt.</summary>
    public const string UndeliveredPrefix = "+2547988";
    /// <summary>Refused for good by Africa's Talking (UserInBlacklist): fails at once, never tried at Twilio.</summary>
    public const string BlacklistedPrefix = "+2547987";
    /// <summary>WhatsApp: delivered, then read.</summary>
    public const string ReadPrefix = "+2547986";

    private CampaignsGraph? _graph;
    private NpgsqlDataSource? _database;
    private OtlpSink? _telemetry;

    public CampaignsGraph Graph => _graph ?? throw new InvalidOperationException("Not started");

    public NpgsqlDataSource Database => _database ?? throw new InvalidOperationException("Not started");

    public OtlpSink Telemetry => _telemetry ?? throw new InvalidOperationException("Not started");

    /// <summary>The simulator's control endpoints (not the API: no OpenAPI conformance check on it).</summary>
    public HttpClient Simulator { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _telemetry = await OtlpSink.StartAsync(ct);
        _graph = await CampaignsGraph.StartAsync(builder =>
        {
            _telemetry.ExportFrom(builder, [.. OtlpSink.Services, SimulatedProviders.ResourceName]);
            builder.CreateResourceBuilder<ProjectResource>(SimulatedProviders.ResourceName)
                .WithEnvironment("Simulator__ReceiptDelayMinMs", "100")
                .WithEnvironment("Simulator__ReceiptDelayMaxMs", "600")
                // Phones no rule names are delivered; some receipts come twice, early or out of order.
                .WithEnvironment("Simulator__DeliveredRate", "1")
                .WithEnvironment("Simulator__UndeliveredRate", "0")
                .WithEnvironment("Simulator__DuplicateRate", "0.3")
                .WithEnvironment("Simulator__OutOfOrderRate", "0.3")
                .WithEnvironment("Simulator__EarlyRate", "0.3")
                .WithEnvironment("Simulator__Rules__0__Pattern", "^" + System.Text.RegularExpressions.Regex.Escape(UndeliveredPrefix))
                .WithEnvironment("Simulator__Rules__0__Receipt", "undelivered")
                .WithEnvironment("Simulator__Rules__1__Pattern", "^" + System.Text.RegularExpressions.Regex.Escape(BlacklistedPrefix))
                .WithEnvironment("Simulator__Rules__1__Provider", "africastalking")
                .WithEnvironment("Simulator__Rules__1__Outcome", "permanent")
                .WithEnvironment("Simulator__Rules__1__ErrorCode", "406")
                .WithEnvironment("Simulator__Rules__2__Pattern", "^" + System.Text.RegularExpressions.Regex.Escape(ReadPrefix))
                .WithEnvironment("Simulator__Rules__2__Receipt", "read");
            // A circuit that opens after a few failures and probes again after a second, so the drill is short.
            builder.CreateResourceBuilder<ProjectResource>("worker")
                .WithEnvironment("Providers__Circuit__MinimumThroughput", "3")
                .WithEnvironment("Providers__Circuit__BreakDuration", "00:00:01");
        }, ct, ["Providers:Simulator=true"]);
        _database = NpgsqlDataSource.Create(await _graph.ConnectionStringAsync("campaignsdb", ct));
        // A client of its own: the graph's clients check every exchange against the API's OpenAPI document.
        Simulator = new HttpClient { BaseAddress = _graph.App.GetEndpoint(SimulatedProviders.ResourceName, "http") };
    }

    public async ValueTask DisposeAsync()
    {
        Simulator?.Dispose();
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
    }
}

namespace Campaigns.ServiceDefaults;

/// <summary>
/// The one list of the project's own ActivitySources and Meters, so every one of them reaches the
/// dashboard. A component that adds a source or meter names it here.
/// </summary>
public static class CampaignsTelemetry
{
    public const string ApiSource = "Campaigns.Api";
    public const string WorkerSource = "Campaigns.Worker";
    public const string QueueSource = "Campaigns.Queue";
    public const string MigrationsSource = "Campaigns.MigrationService";
    public const string SimulatorSource = "Campaigns.ProviderSimulator";

    public const string ApiMeter = "Campaigns.Api";
    public const string WorkerMeter = "Campaigns.Worker";

    public static readonly string[] ActivitySourceNames = [ApiSource, WorkerSource, QueueSource, MigrationsSource, SimulatorSource, "Npgsql"];
    public static readonly string[] MeterNames = [ApiMeter, WorkerMeter, "Npgsql"];
}

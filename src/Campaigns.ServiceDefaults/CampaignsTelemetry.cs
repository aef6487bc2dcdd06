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
    /// <summary>The language model's calls (AI personalization), as Microsoft.Extensions.AI's OpenTelemetry client names them.</summary>
    public const string PersonalizationSource = "Campaigns.Personalization";

    public const string ApiMeter = "Campaigns.Api";
    public const string WorkerMeter = "Campaigns.Worker";
    public const string PersonalizationMeter = "Campaigns.Personalization";

    public static readonly string[] ActivitySourceNames = [ApiSource, WorkerSource, QueueSource, MigrationsSource, SimulatorSource, PersonalizationSource, "Npgsql"];
    public static readonly string[] MeterNames = [ApiMeter, WorkerMeter, PersonalizationMeter, "Npgsql"];
}

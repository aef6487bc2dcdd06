namespace Campaigns.Api.Telemetry;

public static class TelemetryServices
{
    /// <summary>The API's own meter and instruments (its span source is static).</summary>
    public static IServiceCollection AddApiTelemetry(this IServiceCollection services) =>
        services.AddSingleton<ApiTelemetry>();
}

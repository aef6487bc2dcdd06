using Dapper;

namespace Campaigns.Api.Data;

public static class DataServices
{
    public static IServiceCollection AddCampaignsData(this IServiceCollection services)
    {
        // snake_case columns map onto PascalCase properties.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        services.AddSingleton<CampaignStore>();
        services.AddSingleton<CustomerStore>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<CampaignSendWriter>();
        services.AddSingleton<CampaignControl>();
        services.AddSingleton<Campaigns.Core.Queue.SendJobPublisher>();
        services.AddSingleton<Telemetry.ApiTelemetry>();
        services.AddOptions<SendOptions>().BindConfiguration(SendOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Faults.FaultInjection>();
        services.AddOptions<Faults.FaultOptions>().BindConfiguration(Faults.FaultOptions.SectionName);
        return services;
    }
}

using Dapper;

namespace Campaigns.Api.Data;

public static class DataServices
{
    /// <summary>Migrations, demo data, the stores and the writers over Postgres, and the request's transaction.</summary>
    public static IServiceCollection AddCampaignsData(this IServiceCollection services)
    {
        // snake_case columns map onto PascalCase properties.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        services.AddSingleton<CampaignStore>();
        services.AddSingleton<CustomerStore>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<MessageEventStore>();
        services.AddSingleton<CampaignSendWriter>();
        services.AddSingleton<QueuedMessagePages>();
        services.AddSingleton<CampaignControl>();
        services.AddScoped<RequestTransaction>();
        services.AddOptions<SendOptions>().BindConfiguration(SendOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}

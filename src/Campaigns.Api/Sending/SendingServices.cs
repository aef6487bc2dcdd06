using Campaigns.Core.Queue;

namespace Campaigns.Api.Sending;

public static class SendingServices
{
    /// <summary>The send path and the publisher of committed jobs (send, resume, retry-failed).</summary>
    public static IServiceCollection AddCampaignSending(this IServiceCollection services)
    {
        services.AddScoped<CampaignSending>();
        services.AddSingleton<SendJobPublisher>();
        services.AddSingleton<ICommittedJobsPublisher, CommittedJobsPublisher>();
        return services;
    }
}

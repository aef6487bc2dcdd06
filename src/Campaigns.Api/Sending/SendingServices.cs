using Campaigns.Core.Domain;
using Campaigns.Core.Queue;

namespace Campaigns.Api.Sending;

public static class SendingServices
{
    /// <summary>The send path, the publisher of committed jobs (send, resume, retry-failed), and each channel's provider chain.</summary>
    public static IServiceCollection AddCampaignSending(this IServiceCollection services)
    {
        services.AddScoped<CampaignSending>();
        services.AddOptions<ComplianceOptions>().BindConfiguration(ComplianceOptions.SectionName)
            .Validate(c => c.Sms.MaxPerCustomerPerDay is >= 0 and <= 1_000 && c.WhatsApp.MaxPerCustomerPerDay is >= 0 and <= 1_000,
                "Compliance:{Sms,WhatsApp}:MaxPerCustomerPerDay must be between 0 (none) and 1000")
            .ValidateOnStart();
        services.AddSendQueue();
        services.AddSingleton<ICommittedJobsPublisher, CommittedJobsPublisher>();
        foreach (var channel in Channel.All)
        {
            services.AddOptions<ProviderChainOptions>(channel).BindConfiguration(ProviderChainOptions.SectionOf(channel));
        }
        return services;
    }
}

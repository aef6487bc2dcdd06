using Campaigns.Api.Sending;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Campaigns.Api.Faults;

public static class FaultServices
{
    /// <summary>
    /// Swaps in the faulty parts a drill asked for (<c>Faults:</c>); with every switch off, the default,
    /// it registers nothing and the real code paths carry no trace of fault injection.
    /// </summary>
    public static IServiceCollection AddFaultInjection(this IServiceCollection services, IConfiguration configuration)
    {
        var faults = configuration.GetSection(FaultOptions.SectionName).Get<FaultOptions>() ?? new FaultOptions();
        if (faults.CrashAfterCommitBeforeEnqueue)
        {
            services.Replace(ServiceDescriptor.Singleton<ICommittedJobsPublisher, CrashBeforeEnqueue>());
        }
        return services;
    }
}

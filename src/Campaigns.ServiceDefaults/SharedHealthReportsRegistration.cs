using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Campaigns.ServiceDefaults;

internal static class SharedHealthReportsRegistration
{
    /// <summary>
    /// Puts <see cref="SharedHealthReports"/> in front of the framework's <see cref="HealthCheckService"/>, which
    /// <c>AddHealthChecks</c> registered (call it first); the health endpoints then ask the shared one.
    /// </summary>
    public static IServiceCollection ShareHealthReports(this IServiceCollection services)
    {
        var framework = services.Last(service => service.ServiceType == typeof(HealthCheckService));
        var frameworkType = framework.ImplementationType
            ?? throw new InvalidOperationException("HealthCheckService is expected to be registered by type (AddHealthChecks).");
        services.Remove(framework);
        services.AddSingleton<HealthCheckService>(provider => new SharedHealthReports(
            (HealthCheckService)ActivatorUtilities.CreateInstance(provider, frameworkType),
            provider.GetRequiredService<IHostApplicationLifetime>(),
            TimeProvider.System));
        return services;
    }
}

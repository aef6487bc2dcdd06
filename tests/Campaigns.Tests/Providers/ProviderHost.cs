using Campaigns.Worker.Options;
using Campaigns.Worker.Providers;
using Campaigns.Worker.Sending;
using Campaigns.Worker.Telemetry;
using StackExchange.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Campaigns.Tests.Providers;

/// <summary>
/// The worker's service defaults (the standard resilience handler on every client included) with
/// provider clients registered on top, as the worker would; no graph.
/// </summary>
public static class ProviderHost
{
    public static IHost Build(IDictionary<string, string?> configuration, Action<IServiceCollection> register)
    {
        // No defaults: the machine's environment (an OTLP endpoint, say) stays out of the test.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddServiceDefaults();
        builder.AddWorkerOptions();
        register(builder.Services);
        return builder.Build();
    }

    /// <summary>The worker's senders (<c>AddSenders</c>) as the worker registers them, on the given Redis; hosted services not started.</summary>
    public static IHost BuildSenders(IDictionary<string, string?> configuration, IConnectionMultiplexer redis)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddServiceDefaults();
        builder.AddWorkerOptions();
        builder.Services.AddSingleton(redis);
        builder.Services.AddSingleton<QueueState>();
        builder.Services.AddSingleton<ProviderCircuitStates>();
        builder.Services.AddSingleton<WorkerMetrics>();
        builder.AddSenders();
        return builder.Build();
    }
}

using System.Text.Json;
using Campaigns.ProviderSimulator.Control;
using Campaigns.ProviderSimulator.Options;
using Campaigns.ProviderSimulator.Outcomes;
using Campaigns.ProviderSimulator.Receipts;
using Campaigns.ProviderSimulator.Sending;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace Campaigns.ProviderSimulator;

/// <summary>The simulator's services: its options, the outcome rules, the control state and the receipt pipeline.</summary>
public static class SimulatorRegistration
{
    private static readonly TimeSpan ReceiptTimeout = TimeSpan.FromSeconds(10);

    public static IHostApplicationBuilder AddProviderSimulator(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // A provider is outside our traces: the simulator adds its spans to a trace the worker sampled (a traced
        // provider call) and starts none of its own, or every untraced send would be a root trace of its own.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(new ParentBasedSampler(new AlwaysOffSampler())));
        services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TwilioCredentials>().BindConfiguration(TwilioCredentials.SectionName);
        services.AddOptions<AfricasTalkingCredentials>().BindConfiguration(AfricasTalkingCredentials.SectionName);
        services.AddOptions<WhatsAppCloudCredentials>().BindConfiguration(WhatsAppCloudCredentials.SectionName);
        services.AddOptions<WebhooksOptions>().BindConfiguration(WebhooksOptions.SectionName);
        // Twilio's and Meta's documents are snake case; Africa's Talking's names its members itself.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ProviderControl>();
        services.AddSingleton<OutcomeRules>();
        services.AddSingleton<SendLatency>();
        services.AddSingleton<Simulation>();

        services.AddSingleton<ReceiptPlanner>();
        services.AddSingleton<ReceiptQueue>();
        services.AddSingleton<ReceiptCounters>();
        services.AddSingleton<ReceiptPoster>();
        services.AddHostedService<ReceiptDispatcher>();
        // ServiceDefaults' standard handler would retry inside the call; the poster retries through the queue.
#pragma warning disable EXTEXP0001
        // Its own counters, spans and logs report every post: the factory's per-request lines are noise.
        services.AddHttpClient(ReceiptPoster.ClientName, http => http.Timeout = ReceiptTimeout).RemoveAllResilienceHandlers()
            .RemoveAllLoggers();
#pragma warning restore EXTEXP0001
        return builder;
    }

    /// <summary>Says at start what the simulator will do, and what it cannot.</summary>
    public static void LogSettings(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        var webhooks = app.Services.GetRequiredService<IOptions<WebhooksOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILogger<Simulation>>();
        if (webhooks.PublicBaseUrl is null)
        {
            Log.NoPublicBaseUrl(logger);
        }
        Log.Started(logger, options.MinLatencyMs, options.MaxLatencyMs, options.Rules.Count,
            options.ReceiptDelayMinMs, options.ReceiptDelayMaxMs, webhooks.PublicBaseUrl?.AbsoluteUri ?? "(none)");
    }
}

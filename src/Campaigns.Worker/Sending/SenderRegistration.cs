using Campaigns.Core.Domain;
using Campaigns.Worker.Options;
using Campaigns.Worker.Providers;
using Campaigns.Worker.Routing;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Sending;

public static class SenderRegistration
{
    /// <summary>
    /// Each channel's sender: the in-process mock when its chain is <c>["mock"]</c> (the default), else a
    /// <see cref="ProviderRouter"/> over the chain, with only the providers the chains name registered (each
    /// needs its own configuration). With <c>Sender:RecordCalls</c>, the call record as a before-send hook
    /// (without it, no hook exists and sends skip the step entirely).
    /// </summary>
    public static IHostApplicationBuilder AddSenders(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProviderChainOptions>().BindConfiguration(ProviderChainOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        var chains = builder.Configuration.GetSection(ProviderChainOptions.SectionName).Get<ProviderChainOptions>() ?? new ProviderChainOptions();
        var providers = chains.Configured.ToHashSet(StringComparer.Ordinal);
        if (providers.Contains(TwilioClient.Name))
        {
            builder.Services.AddTwilioClient();
            builder.Services.AddSingleton<IProviderGateway, TwilioGateway>();
        }
        if (providers.Contains(AfricasTalkingClient.Name))
        {
            builder.Services.AddAfricasTalkingClient();
            builder.Services.AddSingleton<IProviderGateway, AfricasTalkingGateway>();
        }
        if (providers.Contains(WhatsAppCloudClient.Name))
        {
            builder.Services.AddWhatsAppCloudClient();
            builder.Services.AddSingleton<IProviderGateway, WhatsAppCloudGateway>();
        }
        if (providers.Any(p => p != ProviderChainOptions.Mock))
        {
            builder.Services.AddSingleton<ProviderPauses>();
            builder.Services.AddHostedService<ProviderPauseSync>();
        }

        foreach (var channel in Channel.All)
        {
            var chain = chains.For(channel);
            builder.Services.AddSingleton<IMessageSender>(services => chain is [ProviderChainOptions.Mock]
                ? new MockMessageSender(channel, services.GetRequiredService<IOptions<SenderOptions>>())
                : new ProviderRouter(channel,
                    [.. chain.Select(name => services.GetServices<IProviderGateway>().Single(g => g.Name == name))],
                    services.GetRequiredService<ProviderPauses>(), services.GetRequiredService<WorkerMetrics>()));
        }
        builder.Services.AddSingleton<MessageSenders>();
        var sender = builder.Configuration.GetSection(SenderOptions.SectionName).Get<SenderOptions>() ?? new SenderOptions();
        if (sender.RecordCalls)
        {
            builder.Services.AddSingleton<IBeforeSendHook, SenderCallRecorder>();
        }
        return builder;
    }
}

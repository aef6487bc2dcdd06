using Campaigns.Core.Domain;
using Campaigns.Worker.Options;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Sending;

public static class SenderRegistration
{
    /// <summary>
    /// The mock provider for every channel; with <c>Sender:RecordCalls</c>, the call record as a
    /// before-send hook (without it, no hook exists and sends skip the step entirely).
    /// </summary>
    public static IHostApplicationBuilder AddSenders(this IHostApplicationBuilder builder)
    {
        foreach (var channel in Channel.All)
        {
            builder.Services.AddSingleton<IMessageSender>(services =>
                new MockMessageSender(channel, services.GetRequiredService<IOptions<SenderOptions>>()));
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

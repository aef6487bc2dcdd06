using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Campaigns.Core.Queue;

public static class SendQueueRegistration
{
    /// <summary>The queue's options, its shards and the publisher: what the API and the worker both need.</summary>
    public static IServiceCollection AddSendQueue(this IServiceCollection services)
    {
        services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new SendQueueShards(sp.GetRequiredService<IOptions<QueueOptions>>().Value.Shards));
        services.AddSingleton<SendJobPublisher>();
        return services;
    }
}

using System.Diagnostics;
using Campaigns.Core.Queue;
using Campaigns.ServiceDefaults;

namespace Campaigns.Worker.Telemetry;

/// <summary>
/// The worker's spans. One <c>campaign_sends process</c> Consumer span per batch of jobs (not per
/// message: a send of 100,000 messages makes a few hundred spans): a child of the first job's
/// context, so the trace of a send reaches the worker, and linked to every distinct job context
/// in the batch (usually one: a batch mostly carries the jobs of one send).
/// </summary>
public static class WorkerActivities
{
    public static readonly ActivitySource Source = new(CampaignsTelemetry.WorkerSource);

    private const int MaxLinks = 32;

    /// <param name="stream">The shard's stream the batch was read from.</param>
    public static Activity? StartProcessBatch(IReadOnlyList<string?> traceParents, int entryCount, string consumer, string stream)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        ActivityContext parent = default;
        var links = new List<ActivityLink>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var traceParent in traceParents)
        {
            if (traceParent is null || !seen.Add(traceParent) || links.Count >= MaxLinks
                || !ActivityContext.TryParse(traceParent, null, isRemote: true, out var context))
            {
                continue;
            }
            if (parent == default)
            {
                parent = context;
            }
            links.Add(new ActivityLink(context));
        }
        var activity = Source.StartActivity($"{CampaignSendsStream.Name} process", ActivityKind.Consumer, parent, links: links);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", stream);
        activity?.SetTag("messaging.consumer.group.name", CampaignSendsStream.ConsumerGroup);
        activity?.SetTag("messaging.batch.message_count", entryCount);
        activity?.SetTag("messaging.client.id", consumer);
        return activity;
    }

    /// <summary>Provider calls with a span of their own in each batch: enough to read a send, not one per message.</summary>
    public const int ProviderCallSpansPerBatch = 8;

    /// <summary>One provider call, a child of its batch's span.</summary>
    public static Activity? StartProviderCall(string provider, string channel, Sending.SendRequest request)
    {
        var activity = Source.StartActivity($"provider send {provider}", ActivityKind.Client);
        activity?.SetTag("campaigns.provider", provider);
        activity?.SetTag("campaigns.channel", channel);
        activity?.SetTag("campaigns.message.id", request.MessageId);
        activity?.SetTag("campaigns.attempt", request.Attempt);
        return activity;
    }

    /// <summary>A root span for periodic work that did something (idle rounds make no span).</summary>
    /// <param name="startTime">When the work began, for a round that knows it did work only once it is done.</param>
    public static Activity? StartBackgroundWork(string name, DateTimeOffset startTime = default) =>
        Source.StartActivity(name, ActivityKind.Internal, parentContext: default, startTime: startTime);
}

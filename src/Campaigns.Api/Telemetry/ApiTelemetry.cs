using System.Diagnostics;
using System.Diagnostics.Metrics;
using Campaigns.ServiceDefaults;

namespace Campaigns.Api.Telemetry;

/// <summary>The API's own spans and metrics; names registered in <see cref="CampaignsTelemetry"/>.</summary>
public sealed class ApiTelemetry : IDisposable
{
    public static readonly ActivitySource ActivitySource = new(CampaignsTelemetry.ApiSource);

    private readonly Meter _meter;

    public ApiTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(CampaignsTelemetry.ApiMeter);
        MessagesAccepted = _meter.CreateCounter<long>("campaigns.messages.accepted", "{message}",
            "Messages created by accepted sends");
        SendsAccepted = _meter.CreateCounter<long>("campaigns.sends.accepted", "{send}", "Sends accepted");
        SendDuration = _meter.CreateHistogram<double>("campaigns.send.accept.duration", "ms",
            "Time to accept a send: audience attached, messages written and queued");
        WebhookReceipts = _meter.CreateCounter<long>("campaigns.webhook.receipts", "{receipt}",
            "Provider receipts stored by the webhooks, by provider and kind");
        LinkClicks = _meter.CreateCounter<long>("campaigns.link.clicks", "{click}", "Tracked-link clicks handed to the click writer");
        LinkClicksDropped = _meter.CreateCounter<long>("campaigns.link.clicks.dropped", "{click}",
            "Tracked-link clicks dropped because the click buffer was full (the redirect still answered)");
    }

    public Counter<long> MessagesAccepted { get; }

    public Counter<long> SendsAccepted { get; }

    public Histogram<double> SendDuration { get; }

    public Counter<long> WebhookReceipts { get; }

    public Counter<long> LinkClicks { get; }

    public Counter<long> LinkClicksDropped { get; }

    public void Dispose() => _meter.Dispose();
}

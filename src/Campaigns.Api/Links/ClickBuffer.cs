using System.Threading.Channels;
using Campaigns.Api.Telemetry;
using Microsoft.Extensions.Options;

namespace Campaigns.Api.Links;

/// <summary>A click waiting to be written: the link's code and when the redirect answered.</summary>
public readonly record struct Click(string Code, DateTime At);

/// <summary>
/// The redirect's hand-off to <see cref="ClickWriter"/>: a bounded in-memory channel. Offering never waits; a click that
/// finds it full is dropped, counted (<c>campaigns.link.clicks.dropped</c>) and logged. Clicks still in it when the
/// process dies are lost (the redirect has already answered): accepted, and documented in docs/api.md.
/// </summary>
public sealed class ClickBuffer(IOptions<LinkTrackingOptions> options, ApiTelemetry telemetry, ILogger<ClickBuffer> logger)
{
    private readonly Channel<Click> _channel = Channel.CreateBounded<Click>(new BoundedChannelOptions(options.Value.ClickBufferCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait, // TryWrite answers false when full: the caller drops, never waits
        SingleReader = true,
        SingleWriter = false,
    });

    public ChannelReader<Click> Reader => _channel.Reader;

    public void Offer(Click click)
    {
        if (_channel.Writer.TryWrite(click))
        {
            telemetry.LinkClicks.Add(1);
            return;
        }
        telemetry.LinkClicksDropped.Add(1);
        Log.ClickDropped(logger, options.Value.ClickBufferCapacity);
    }

    /// <summary>No more clicks: the writer drains what is left, then stops.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}

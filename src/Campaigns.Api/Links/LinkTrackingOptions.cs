using System.ComponentModel.DataAnnotations;
using Campaigns.Core.Links;

namespace Campaigns.Api.Links;

/// <summary>Link tracking (<c>Links</c>): where short links point, and how clicks are buffered on their way to the database.</summary>
public sealed class LinkTrackingOptions
{
    public const string Section = "Links";

    /// <summary>The public origin of <c>GET /l/{code}</c>: a tracked URL becomes <c>{BaseUrl}/l/{code}</c>.</summary>
    [Required, Url]
    public string BaseUrl { get; set; } = "http://localhost:5180";

    /// <summary>Clicks waiting to be written; a click arriving when it is full is dropped (counted, logged), never waited for.</summary>
    [Range(1, 1_000_000)]
    public int ClickBufferCapacity { get; set; } = 10_000;

    /// <summary>The most clicks one statement writes.</summary>
    [Range(1, 100_000)]
    public int ClickBatchSize { get; set; } = 1_000;

    /// <summary><see cref="BaseUrl"/> without a trailing slash, then <c>/l/</c>: what precedes every code.</summary>
    public string Prefix => TrackedLinks.PrefixOf(BaseUrl);

    /// <summary>How long every short link is (the rendered-length rule counts a tracked URL as this).</summary>
    public int ShortLinkLength => Prefix.Length + TrackedLinks.CodeLength;
}

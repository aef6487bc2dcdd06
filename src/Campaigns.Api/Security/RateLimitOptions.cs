using System.ComponentModel.DataAnnotations;

namespace Campaigns.Api.Security;

/// <summary>
/// Request budgets (<c>RateLimits:</c> configuration): token buckets refilled every second, per API key for
/// requests that present a valid one and per client address for all others; per API process, how many
/// imports and sends may run at once.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Requests per second a caller may sustain on any endpoint.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 50;

    /// <summary>Requests a caller may make at once after a quiet spell.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 200;

    /// <summary>Sends per second (each can create 100,000 messages): a tighter budget of its own.</summary>
    [Range(1, 1_000_000)]
    public int SendPermitsPerSecond { get; set; } = 2;

    [Range(1, 1_000_000)]
    public int SendBurst { get; set; } = 10;

    /// <summary>
    /// Requests per second one client address may sustain without a valid key: probes, the OpenAPI
    /// document, the console's files, refused keys. Far above what a browser loading the console
    /// (about 25 files) or an orchestrator's probes need.
    /// </summary>
    [Range(1, 1_000_000)]
    public int AnonymousPermitsPerSecond { get; set; } = 20;

    [Range(1, 1_000_000)]
    public int AnonymousBurst { get; set; } = 200;

    /// <summary>
    /// Webhook requests per second one source address may sustain: a provider posts a receipt per message
    /// (several for some), from few addresses, so far above the anonymous budget, which it never spends.
    /// </summary>
    [Range(1, 1_000_000)]
    public int WebhookPermitsPerSecond { get; set; } = 500;

    [Range(1, 1_000_000)]
    public int WebhookBurst { get; set; } = 2_000;

    /// <summary>
    /// Tracked-link redirects (<c>GET /l/{code}</c>) per second one client address may sustain: recipients behind a
    /// carrier's NAT share an address, so far above the anonymous budget, which they never spend.
    /// </summary>
    [Range(1, 1_000_000)]
    public int LinkPermitsPerSecond { get; set; } = 500;

    [Range(1, 1_000_000)]
    public int LinkBurst { get; set; } = 2_000;

    /// <summary>Imports running at once in one API process, whoever calls.</summary>
    [Range(1, 1_000_000)]
    public int ImportConcurrency { get; set; } = 2;

    /// <summary>Sends running at once in one API process, whoever calls.</summary>
    [Range(1, 1_000_000)]
    public int SendConcurrency { get; set; } = 4;
}

using System.Globalization;
using System.Threading.RateLimiting;
using Campaigns.Api.Errors;
using Campaigns.Api.Idempotency;
using Campaigns.Api.Webhooks;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Campaigns.Api.Security;

/// <summary>
/// Token buckets per caller (its API key identity): one for everything but the public paths, a tighter
/// one for sends. A request without a valid key (public paths, the console, refused keys) spends its
/// client address's budget instead, so floods of probes or key guesses are bounded too, and keyed
/// traffic never meets that budget. The provider webhooks spend a budget per source address of their
/// own. Per process, the requests of <see cref="ConcurrencyLimits"/> running at once. Over any of them is 429 <c>RATE_LIMITED</c> with <c>Retry-After</c>.
/// </summary>
public static class RateLimiting
{
    public const string SendPolicy = "send";

    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(PerCaller(), RunningAtOnce());
            limiter.AddPolicy(SendPolicy, context =>
            {
                // Without a valid key a send spends the address's budget (above) and is refused anyway.
                if (CallerScope.Identified(context) is not { } caller)
                {
                    return RateLimitPartition.GetNoLimiter("anonymous");
                }
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(caller, _ => Bucket(options.SendPermitsPerSecond, options.SendBurst));
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : 1;
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await ApiProblem.Create(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                    $"Too many requests; retry after {retryAfter} second(s)").ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }

    private static PartitionedRateLimiter<HttpContext> PerCaller() => PartitionedRateLimiter.Create<HttpContext, string>(context =>
    {
        var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        if (context.Request.Path.StartsWithSegments(WebhooksApi.Prefix))
        {
            // Providers present no key: their budget is their source address's, apart from everyone else's.
            return RateLimitPartition.GetTokenBucketLimiter("webhook:" + ClientAddress.PartitionOf(context.Connection.RemoteIpAddress),
                _ => Bucket(options.WebhookPermitsPerSecond, options.WebhookBurst));
        }
        if (context.Request.Path.StartsWithSegments(Apis.LinksApi.Prefix))
        {
            // Recipients following a link: many phones may share one carrier address.
            return RateLimitPartition.GetTokenBucketLimiter("link:" + ClientAddress.PartitionOf(context.Connection.RemoteIpAddress),
                _ => Bucket(options.LinkPermitsPerSecond, options.LinkBurst));
        }
        if (CallerScope.Identified(context) is not { } caller)
        {
            return RateLimitPartition.GetTokenBucketLimiter("address:" + ClientAddress.PartitionOf(context.Connection.RemoteIpAddress),
                _ => Bucket(options.AnonymousPermitsPerSecond, options.AnonymousBurst));
        }
        return PublicPaths.IsPublic(context.Request.Path)
            ? RateLimitPartition.GetNoLimiter("public")
            : RateLimitPartition.GetTokenBucketLimiter("key:" + caller, _ => Bucket(options.PermitsPerSecond, options.Burst));
    });

    /// <summary>
    /// One concurrency limiter per <see cref="ConcurrencyLimit"/>, shared by every caller. No queue: a client
    /// told to come back in a second is better off than one left waiting behind a million-recipient send.
    /// </summary>
    private static PartitionedRateLimiter<HttpContext> RunningAtOnce() => PartitionedRateLimiter.Create<HttpContext, string>(context =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ConcurrencyLimit>() is not { } limit)
        {
            return RateLimitPartition.GetNoLimiter("");
        }
        var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        return RateLimitPartition.GetConcurrencyLimiter(limit.Name, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = limit.Permits(options),
            QueueLimit = 0,
        });
    });

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

using Campaigns.Core.Personalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Campaigns.Worker.Personalization;

/// <summary>
/// <c>Personalization:MaxCallsPerCampaign</c>: the model calls one campaign may spend, counted in Redis so that every
/// worker replica spends the same budget. Past it, messages get the plain rendering.
/// </summary>
public sealed class PersonalizationBudget(IConnectionMultiplexer redis, IOptions<PersonalizationOptions> options)
{
    // Long past any campaign's sending; the counter only has to outlive it.
    private static readonly TimeSpan Keep = TimeSpan.FromDays(30);

    public static RedisKey KeyFor(long campaignId) => $"campaigns:personalization:calls:{campaignId}";

    /// <summary>Takes one call from the campaign's budget; false when it is spent.</summary>
    public async Task<bool> TrySpendAsync(long campaignId, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var key = KeyFor(campaignId);
        var spent = await database.StringIncrementAsync(key).WaitAsync(cancellationToken);
        if (spent == 1)
        {
            await database.KeyExpireAsync(key, Keep).WaitAsync(cancellationToken);
        }
        return spent <= options.Value.MaxCallsPerCampaign;
    }
}

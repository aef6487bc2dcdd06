namespace Campaigns.Worker.Providers;

/// <summary>The delay a provider asks for in <c>Retry-After</c> (seconds or an HTTP date), else a default.</summary>
internal static class RetryAfterHeader
{
    public static TimeSpan? Read(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta && delta > TimeSpan.Zero)
        {
            return delta;
        }
        if (header?.Date is { } date && date - time.GetUtcNow() is var untilDate && untilDate > TimeSpan.Zero)
        {
            return untilDate;
        }
        return null;
    }
}

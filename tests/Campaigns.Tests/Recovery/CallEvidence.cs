using Campaigns.Tests.Delivery;

namespace Campaigns.Tests.Recovery;

/// <summary>
/// What the mock provider's call record (<c>sender_calls</c>, written before each call) proves.
/// </summary>
/// <remarks>
/// A message's recorded attempts are <c>retry_count</c> (failed attempts, a lease that ran out counting
/// as one) plus one if it was sent. Each call is one attempt, so a message may have at most that many
/// distinct attempt numbers, each no higher than its attempts. One extra call is tolerated where a
/// crash is involved: a call whose record was written twice (the insert committed but its answer was
/// lost with the connection, so it was retried). Every call of a message carries the same idempotency
/// key, so a provider that honours it delivers once whatever the retries.
/// </remarks>
public static class CallEvidence
{
    public static string Assert(
        IReadOnlyDictionary<long, DeliveryDatabase.Message> messages, IReadOnlyList<DeliveryDatabase.Call> calls, int extraCallsAllowed)
    {
        var byMessage = calls.ToLookup(c => c.MessageId);
        var extra = 0;
        foreach (var message in messages.Values)
        {
            var attempts = message.RetryCount + (message.Status == "sent" ? 1 : 0);
            var mine = byMessage[message.Id].ToList();
            Xunit.Assert.All(mine, c => Xunit.Assert.Equal($"msg-{message.Id}", c.IdempotencyKey));
            var distinct = mine.Select(c => c.Attempt).Distinct().Count();
            Xunit.Assert.True(distinct <= attempts,
                $"Message {message.Id} ({message.Status}, {attempts} attempt(s)) has calls for {distinct} attempts");
            Xunit.Assert.True(mine.Count == 0 || mine.Max(c => c.Attempt) <= attempts,
                $"Message {message.Id} has a call numbered above its {attempts} attempt(s)");
            Xunit.Assert.True(mine.Count <= attempts + extraCallsAllowed,
                $"Message {message.Id} ({message.Status}, {attempts} attempt(s)) was called {mine.Count} times");
            if (message.Status == "sent")
            {
                Xunit.Assert.NotEmpty(mine);
            }
            extra += Math.Max(0, mine.Count - distinct);
        }
        return $"{calls.Count} provider calls, {extra} duplicate call record(s), every message's calls under one idempotency key";
    }
}

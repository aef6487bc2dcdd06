using Campaigns.Core.Domain;
using Campaigns.Worker.Delivery;
using Campaigns.Worker.Sending;

namespace Campaigns.Tests.Delivery;

public sealed class BackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1, 1_000)]
    [InlineData(2, 2_000)]
    [InlineData(3, 4_000)]
    [InlineData(5, 16_000)]
    public void The_nominal_delay_doubles_with_each_failed_attempt(int failedAttempts, double expectedMs)
    {
        Assert.Equal(expectedMs, Backoff.Compute(failedAttempts, Base, Max, jitterSample: 0.5).TotalMilliseconds, precision: 6);
    }

    [Theory]
    [InlineData(0.0, 1_600)]
    [InlineData(0.999999, 2_400)]
    public void Jitter_stays_within_twenty_percent(double sample, double expectedMs)
    {
        Assert.Equal(expectedMs, Backoff.Compute(2, Base, Max, sample).TotalMilliseconds, precision: 0);
    }

    [Fact]
    public void Random_jitter_always_lands_in_the_band()
    {
        for (var i = 0; i < 1_000; i++)
        {
            var delay = Backoff.Compute(3, Base, Max);
            Assert.InRange(delay.TotalMilliseconds, 3_200, 4_800);
        }
    }

    [Fact]
    public void The_delay_is_capped()
    {
        Assert.Equal(Max, Backoff.Compute(20, Base, Max, 0.5));
        Assert.Equal(Max, Backoff.Compute(int.MaxValue, Base, Max, 0.99));
    }

    [Fact]
    public void A_zero_base_means_no_wait()
    {
        Assert.Equal(TimeSpan.Zero, Backoff.Compute(3, TimeSpan.Zero, Max, 0.7));
    }
}

public sealed class AttemptOutcomeTests
{
    private static readonly Func<int, TimeSpan> FixedBackoff = failed => TimeSpan.FromSeconds(failed);

    [Fact]
    public void Success_is_sent_and_keeps_the_retry_count()
    {
        var outcome = AttemptOutcome.Decide(7, 1, SendResult.Sent, 3, FixedBackoff);
        Assert.Equal(("sent", 1, (string?)null), (outcome.Status, outcome.RetryCount, outcome.Error));
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 2, 2)]
    public void A_transient_failure_below_the_limit_goes_back_to_pending_after_a_backoff(int claimedRetryCount, int retryCount, int delaySeconds)
    {
        var outcome = AttemptOutcome.Decide(7, claimedRetryCount, SendResult.Transient("timeout"), 3, FixedBackoff);
        Assert.Equal("pending", outcome.Status);
        Assert.Equal(retryCount, outcome.RetryCount);
        Assert.Equal("timeout", outcome.Error);
        Assert.Equal(TimeSpan.FromSeconds(delaySeconds), outcome.RetryDelay);
        Assert.Equal(claimedRetryCount, outcome.ClaimedRetryCount);
    }

    [Fact]
    public void The_failure_that_reaches_max_attempts_fails_the_message()
    {
        var outcome = AttemptOutcome.Decide(7, 2, SendResult.Transient("timeout"), 3, FixedBackoff);
        Assert.Equal(("failed", 3, "max retries exceeded: timeout"), (outcome.Status, outcome.RetryCount, outcome.Error));
    }

    [Fact]
    public void A_permanent_failure_fails_at_once()
    {
        var outcome = AttemptOutcome.Decide(7, 0, SendResult.Permanent("invalid number"), 3, FixedBackoff);
        Assert.Equal(("failed", 1, "invalid number"), (outcome.Status, outcome.RetryCount, outcome.Error));
    }

    [Fact]
    public void One_attempt_allowed_means_no_retry()
    {
        var outcome = AttemptOutcome.Decide(7, 0, SendResult.Transient("timeout"), 1, FixedBackoff);
        Assert.Equal(("failed", 1), (outcome.Status, outcome.RetryCount));
    }

    [Fact]
    public void A_message_no_provider_took_waits_its_turn_without_an_attempt()
    {
        var outcome = AttemptOutcome.Decide(7, 2, SendResult.NotSentFor(TimeSpan.FromSeconds(30), "rate limited") with { Provider = "twilio" }, 3, FixedBackoff);
        Assert.Equal(("pending", 2, TimeSpan.FromSeconds(30), true), (outcome.Status, outcome.RetryCount, outcome.RetryDelay, outcome.IsHandBack));
        Assert.Equal("twilio", outcome.Provider);
    }

    [Fact]
    public void The_provider_answer_rides_with_the_outcome()
    {
        var sent = AttemptOutcome.Decide(7, 0, SendResult.Sent with { Provider = "twilio", ProviderMessageId = "SM1" }, 3, FixedBackoff);
        Assert.Equal(("twilio", "SM1"), (sent.Provider, sent.ProviderMessageId));
        var unknown = AttemptOutcome.Decide(7, 0, SendResult.Transient("timeout") with { Provider = "twilio", Unknown = true, ErrorCode = "timeout" }, 3, FixedBackoff);
        Assert.Equal(("pending", true, "timeout"), (unknown.Status, unknown.Unknown, unknown.ErrorCode));
        var optedOut = AttemptOutcome.Decide(7, 0, SendResult.Permanent("blacklisted") with { Provider = "africastalking", SuppressPhone = true }, 3, FixedBackoff);
        Assert.Equal(("failed", true), (optedOut.Status, optedOut.SuppressPhone));
    }
}

using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Sending;

/// <summary>Which control action each status allows (api.md), set up directly so no delivery races the checks.</summary>
public sealed class ControlStatusRuleTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A campaign in the given status. One it has started sending keeps one pending message that no job
    /// covers and whose re-queue time is an hour away, so no worker delivers or completes it meanwhile.
    /// </summary>
    private async Task<long> CampaignInStatusAsync(string status)
    {
        var id = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customer = await fixture.Database.InsertCustomerAsync(Ct);
        await fixture.Database.ExecuteAsync("""
            UPDATE campaigns SET status = @status, audience_attached_at = CASE WHEN @status = 'draft' THEN NULL ELSE now() END
            WHERE id = @id;
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, next_attempt_at)
            SELECT @id, @customer, 'x', now() + interval '1 hour' WHERE @status IN ('sending', 'paused');
            UPDATE campaigns SET total_count = 1, pending_count = 1 WHERE id = @id AND @status IN ('sending', 'paused');
            """, new { id, status, customer }, Ct);
        return id;
    }

    [Theory]
    [InlineData("pause", "sending", HttpStatusCode.OK, "paused")]
    [InlineData("pause", "draft", HttpStatusCode.Conflict, null)]
    [InlineData("pause", "paused", HttpStatusCode.Conflict, null)]
    [InlineData("pause", "sent", HttpStatusCode.Conflict, null)]
    [InlineData("resume", "paused", HttpStatusCode.OK, "sending")]
    [InlineData("resume", "sending", HttpStatusCode.Conflict, null)]
    [InlineData("resume", "cancelled", HttpStatusCode.Conflict, null)]
    [InlineData("cancel", "draft", HttpStatusCode.OK, "cancelled")]
    [InlineData("cancel", "scheduled", HttpStatusCode.OK, "cancelled")]
    [InlineData("cancel", "sending", HttpStatusCode.OK, "cancelled")]
    [InlineData("cancel", "paused", HttpStatusCode.OK, "cancelled")]
    [InlineData("cancel", "sent", HttpStatusCode.Conflict, null)]
    [InlineData("cancel", "failed", HttpStatusCode.Conflict, null)]
    [InlineData("cancel", "cancelled", HttpStatusCode.Conflict, null)]
    [InlineData("retry-failed", "sending", HttpStatusCode.Conflict, null)]
    [InlineData("retry-failed", "draft", HttpStatusCode.Conflict, null)]
    [InlineData("retry-failed", "sent", HttpStatusCode.Conflict, null)]
    public async Task Each_action_is_allowed_only_from_its_statuses(string action, string from, HttpStatusCode expected, string? to)
    {
        var id = await CampaignInStatusAsync(from);

        var response = await _api.PostJsonAsync($"/campaigns/{id}/{action}", null, Ct);

        if (expected == HttpStatusCode.OK)
        {
            response.Expect(HttpStatusCode.OK);
            Assert.Equal(to, response.Json["status"]!.GetValue<string>());
        }
        else
        {
            response.Expect(expected, "CAMPAIGN_NOT_SENDABLE");
            Assert.Contains(from, response.Json["error"]!["message"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("cancel")]
    [InlineData("retry-failed")]
    public async Task Unknown_and_malformed_campaign_ids(string action)
    {
        (await _api.PostJsonAsync($"/campaigns/987654321/{action}", null, Ct)).Expect(HttpStatusCode.NotFound, "CAMPAIGN_NOT_FOUND");
        (await _api.PostJsonAsync($"/campaigns/x/{action}", null, Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task Cancel_turns_every_pending_message_cancelled_and_keeps_the_counters_true()
    {
        var id = await CampaignInStatusAsync("paused");
        var customers = await fixture.Database.InsertCustomersAsync(6, Ct);
        await fixture.Database.ExecuteAsync("""
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, status)
            SELECT @id, c, 'x', CASE WHEN o <= 4 THEN 'pending' ELSE 'sent' END FROM unnest(@customers) WITH ORDINALITY t(c, o);
            UPDATE campaigns SET total_count = 7, pending_count = 5, sent_count = 2 WHERE id = @id;
            """, new { id, customers }, Ct);

        var campaign = (await _api.PostJsonAsync($"/campaigns/{id}/cancel", null, Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal("cancelled", campaign["status"]!.GetValue<string>());
        Assert.Equal(0, campaign["stats"]!["pending"]!.GetValue<int>());
        Assert.Equal(5, campaign["stats"]!["cancelled"]!.GetValue<int>());
        Assert.Equal(2, campaign["stats"]!["sent"]!.GetValue<int>());
        Assert.Equal(5, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbound_messages WHERE campaign_id = @id AND status = 'cancelled'", new { id }, Ct));
    }

    [Fact]
    public async Task Resume_queues_again_the_queued_messages_and_the_retries_that_came_due_but_not_a_retry_still_backing_off()
    {
        var id = await CampaignInStatusAsync("paused");
        var customers = await fixture.Database.InsertCustomersAsync(3, Ct);
        // A first attempt whose job was acknowledged unclaimed while paused (queued), a retry whose backoff
        // ended during the pause, and a retry with ten minutes of backoff left (both waiting).
        var messages = (await fixture.Database.ScalarAsync<long[]>("""
            WITH m AS (
                INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, retry_count, queued_at, next_attempt_at)
                VALUES (@id, @queued, 'x', 0, now() - interval '5 seconds', now() - interval '5 seconds'),
                       (@id, @due, 'x', 1, NULL, now() - interval '5 seconds'),
                       (@id, @backingOff, 'x', 1, NULL, now() + interval '10 minutes')
                RETURNING id)
            SELECT array_agg(id ORDER BY id) FROM m
            """, new { id, queued = customers[0], due = customers[1], backingOff = customers[2] }, Ct))!;
        await fixture.Database.ExecuteAsync(
            "UPDATE campaigns SET total_count = 3, pending_count = 3 WHERE id = @id", new { id }, Ct);

        var resumed = (await _api.PostJsonAsync($"/campaigns/{id}/resume", null, Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal("sending", resumed["status"]!.GetValue<string>());
        var backingOff = await fixture.Database.ScalarAsync<bool>(
            "SELECT queued_at IS NULL AND next_attempt_at > now() + interval '9 minutes' FROM outbound_messages WHERE id = @id",
            new { id = messages[2] }, Ct);
        Assert.True(backingOff, "the retry still backing off keeps waiting for its time");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        long attempted;
        do
        {
            await Task.Delay(200, Ct);
            attempted = await fixture.Database.ScalarAsync<long>(
                "SELECT count(DISTINCT outbound_message_id) FROM sender_calls WHERE outbound_message_id = ANY(@ids)",
                new { ids = messages[..2] }, Ct);
        }
        while (attempted < 2 && DateTime.UtcNow < deadline);
        Assert.Equal(2, attempted);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM sender_calls WHERE outbound_message_id = @id", new { id = messages[2] }, Ct));
    }

    [Fact]
    public async Task Retry_failed_gives_failed_messages_a_new_round_and_cancels_opted_out_ones()
    {
        var id = await CampaignInStatusAsync("failed");
        var customers = await fixture.Database.InsertCustomersAsync(3, Ct);
        await fixture.Database.ExecuteAsync("""
            UPDATE customers SET opted_out = true WHERE id = @optedOut;
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, status, retry_count, last_error)
            SELECT @id, c, 'x', 'failed', 3, 'max retries exceeded: boom' FROM unnest(@customers) c;
            UPDATE campaigns SET total_count = 3, failed_count = 3, status = 'paused' WHERE id = @id;
            """, new { id, customers, optedOut = customers[2] }, Ct);
        // Paused first so that no worker delivers before the assertions; then finished as failed.
        await fixture.Database.ExecuteAsync("UPDATE campaigns SET status = 'failed' WHERE id = @id", new { id }, Ct);

        var response = await _api.PostJsonAsync($"/campaigns/{id}/retry-failed", null, Ct);

        response.Expect(HttpStatusCode.Accepted);
        Assert.Equal(2, response.Json["messages_queued"]!.GetValue<int>());
        Assert.Equal(1, response.Json["skipped_opted_out"]!.GetValue<int>());
        Assert.Equal("sending", response.Json["status"]!.GetValue<string>());
        var retried = await fixture.Database.ScalarAsync<long>("""
            SELECT count(*) FROM outbound_messages
            WHERE campaign_id = @id AND customer_id <> @optedOut AND status <> 'cancelled'
              AND NOT (status = 'failed' AND retry_count = 3 AND last_error = 'max retries exceeded: boom')
            """, new { id, optedOut = customers[2] }, Ct);
        Assert.Equal(2, retried);
        Assert.Equal("cancelled", await fixture.Database.ScalarAsync<string>(
            "SELECT status FROM outbound_messages WHERE campaign_id = @id AND customer_id = @optedOut", new { id, optedOut = customers[2] }, Ct));
    }

    [Fact]
    public async Task Retry_failed_cancels_and_counts_apart_the_failed_messages_of_phones_suppressed_on_the_channel_since()
    {
        var id = await CampaignInStatusAsync("failed");
        var customers = await fixture.Database.InsertCustomersAsync(4, Ct);
        await fixture.Database.ExecuteAsync("""
            UPDATE customers SET opted_out = true WHERE id = @optedOut;
            SELECT add_suppressions(ARRAY[(SELECT phone FROM customers WHERE id = @smsSuppressed)], 'sms', 'api', NULL);
            SELECT add_suppressions(ARRAY[(SELECT phone FROM customers WHERE id = @whatsappSuppressed)], 'whatsapp', 'api', NULL);
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, status, retry_count, last_error)
            SELECT @id, c, 'x', 'failed', 3, 'max retries exceeded: boom' FROM unnest(@customers) c;
            UPDATE campaigns SET total_count = 4, failed_count = 4, status = 'paused' WHERE id = @id;
            """, new { id, customers, optedOut = customers[0], smsSuppressed = customers[1], whatsappSuppressed = customers[2] }, Ct);
        await fixture.Database.ExecuteAsync("UPDATE campaigns SET status = 'failed' WHERE id = @id", new { id }, Ct);

        var response = (await _api.PostJsonAsync($"/campaigns/{id}/retry-failed", null, Ct)).Expect(HttpStatusCode.Accepted).Json;

        // The whatsapp suppression does not concern an sms campaign: that message is retried.
        Assert.Equal((2, 1, 1, 0), (response["messages_queued"]!.GetValue<int>(), response["skipped_opted_out"]!.GetValue<int>(),
            response["skipped_suppressed"]!.GetValue<int>(), response["skipped_frequency_capped"]!.GetValue<int>()));
        var reasons = await fixture.Database.ScalarAsync<string[]>("""
            SELECT array_agg(coalesce(e.detail, '') ORDER BY m.customer_id)
            FROM outbound_messages m JOIN message_events e ON e.message_id = m.id
            WHERE m.campaign_id = @id AND m.status = 'cancelled'
            """, new { id }, Ct);
        Assert.Equal(["customer opted out", "phone suppressed on sms"], reasons);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Api.Data;
using Campaigns.Tests.Infrastructure;
using Dapper;

namespace Campaigns.Tests.CampaignEndpoints;

/// <summary>
/// <c>GET /campaigns/{id}/messages/{message_id}/events</c>: paginated like every list, oldest first, opened by
/// the synthesized <c>queued</c> event (the message's <c>created_at</c>, never stored).
/// </summary>
public sealed class MessageEventsTests(AppFixture fixture)
{
    private static readonly DateTime CreatedAt = new(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc);

    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A message created at <see cref="CreatedAt"/> with the given events, stored in this order, a second apart.</summary>
    private async Task<(long CampaignId, long MessageId)> MessageWithEventsAsync(params (string Type, string? Provider, string? Detail)[] events)
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customer = await fixture.Database.InsertCustomerAsync(Ct);
        var messageId = await fixture.Database.ScalarAsync<long>("""
            INSERT INTO outbound_messages (campaign_id, customer_id, rendered_content, status, created_at)
            VALUES (@campaignId, @customer, 'Hi', 'sent', @createdAt) RETURNING id
            """, new { campaignId, customer, createdAt = CreatedAt }, Ct);
        await fixture.Database.ExecuteAsync("""
            INSERT INTO message_events (message_id, at, type, provider, detail)
            SELECT @messageId, @createdAt + make_interval(secs => o), e.type, e.provider, e.detail
            FROM unnest(@types, @providers, @details) WITH ORDINALITY AS e(type, provider, detail, o)
            ORDER BY o
            """, new
        {
            messageId,
            createdAt = CreatedAt,
            types = events.Select(e => e.Type).ToArray(),
            providers = events.Select(e => e.Provider).ToArray(),
            details = events.Select(e => e.Detail).ToArray(),
        }, Ct);
        return (campaignId, messageId);
    }

    private static (string Type, string? Provider, string? Detail) Event(string type, string? provider = null, string? detail = null) =>
        (type, provider, detail);

    private static string[] Types(JsonNode page) => [.. page["data"]!.AsArray().Select(e => e!["type"]!.GetValue<string>())];

    [Fact]
    public async Task Events_come_oldest_first_after_the_queued_event()
    {
        var (campaignId, messageId) = await MessageWithEventsAsync(
            Event("claimed"), Event("sent", "twilio", "SM0123456789abcdef0123456789abcdef"), Event("provider_status", "twilio", "queued"),
            Event("delivered", "twilio"));

        var page = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages/{messageId}/events", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(["queued", "claimed", "sent", "provider_status", "delivered"], Types(page));
        var queued = page["data"]![0]!.AsObject();
        Assert.Equal(["at", "type", "provider", "detail"], queued.Select(p => p.Key));
        Assert.Equal("2026-11-29T10:00:00Z", queued["at"]!.GetValue<string>());
        Assert.Null(queued["provider"]);
        Assert.Null(queued["detail"]);
        var sent = page["data"]![2]!;
        Assert.Equal("2026-11-29T10:00:02Z", sent["at"]!.GetValue<string>());
        Assert.Equal("twilio", sent["provider"]!.GetValue<string>());
        Assert.Equal("SM0123456789abcdef0123456789abcdef", sent["detail"]!.GetValue<string>());
        Assert.Equal(
            new JsonObject { ["page"] = 1, ["page_size"] = 20, ["total_count"] = 5, ["total_pages"] = 1, ["next_cursor"] = null }.ToJsonString(),
            page["pagination"]!.ToJsonString());
    }

    [Fact]
    public async Task A_message_without_stored_events_has_its_queued_event()
    {
        var (campaignId, messageId) = await MessageWithEventsAsync();

        var page = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages/{messageId}/events", Ct)).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(["queued"], Types(page));
        Assert.Equal(1, page["pagination"]!["total_count"]!.GetValue<long>());
        Assert.Null(page["pagination"]!["next_cursor"]);
    }

    [Fact]
    public async Task Pages_and_cursors_walk_the_same_list_with_queued_counted()
    {
        var (campaignId, messageId) = await MessageWithEventsAsync(
            Event("claimed"), Event("attempt_failed", "twilio", "timeout"), Event("claimed"), Event("sent", "africastalking", "ATXid_1"),
            Event("undelivered", "africastalking", "DeliveryFailure"));
        var path = $"/campaigns/{campaignId}/messages/{messageId}/events";
        string[] all = ["queued", "claimed", "attempt_failed", "claimed", "sent", "undelivered"];

        var byPage = new List<string>();
        for (var number = 1; number <= 3; number++)
        {
            var page = (await _api.GetJsonAsync($"{path}?page={number}&page_size=2", Ct)).Expect(HttpStatusCode.OK).Json;
            Assert.Equal(6, page["pagination"]!["total_count"]!.GetValue<long>());
            Assert.Equal(3, page["pagination"]!["total_pages"]!.GetValue<long>());
            byPage.AddRange(Types(page));
        }
        var pastTheEnd = (await _api.GetJsonAsync($"{path}?page=4&page_size=2", Ct)).Expect(HttpStatusCode.OK).Json;

        var byCursor = new List<string>();
        var cursors = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await _api.GetJsonAsync(cursor is null ? $"{path}?page_size=1" : $"{path}?page_size=1&cursor={cursor}", Ct))
                .Expect(HttpStatusCode.OK).Json;
            Assert.Equal(6, page["pagination"]!["total_count"]!.GetValue<long>());
            if (cursor is not null)
            {
                Assert.Null(page["pagination"]!["page"]);
            }
            byCursor.AddRange(Types(page));
            cursor = page["pagination"]!["next_cursor"]?.GetValue<string>();
            if (cursor is not null)
            {
                cursors.Add(cursor);
            }
        }
        while (cursor is not null && byCursor.Count <= all.Length);

        Assert.Equal(all, byPage);
        Assert.Empty(pastTheEnd["data"]!.AsArray());
        Assert.Equal(all, byCursor);
        // The queued event's cursor continues with the first stored event; every page's cursor is its own.
        Assert.Equal(all.Length - 1, cursors.Distinct().Count());
    }

    [Fact]
    public async Task Unknown_campaign_message_or_paging_values_are_refused_as_for_the_message()
    {
        var (campaignId, messageId) = await MessageWithEventsAsync(Event("claimed"));
        var (otherCampaignId, _) = await MessageWithEventsAsync();

        (await _api.GetJsonAsync($"/campaigns/987654321/messages/{messageId}/events", Ct)).Expect(HttpStatusCode.NotFound, "CAMPAIGN_NOT_FOUND");
        (await _api.GetJsonAsync($"/campaigns/{otherCampaignId}/messages/{messageId}/events", Ct)).Expect(HttpStatusCode.NotFound, "MESSAGE_NOT_FOUND");
        (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages/987654321987/events", Ct)).Expect(HttpStatusCode.NotFound, "MESSAGE_NOT_FOUND");
        (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages/abc/events", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages/{messageId}/events?page=x", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages/{messageId}/events?cursor=not-a-cursor!", Ct))
            .Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        // Past the deepest page number, with nothing there: an empty page, as in every list.
        var deep = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages/{messageId}/events?page=101&page_size=100", Ct))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Empty(deep["data"]!.AsArray());
        Assert.Equal(2, deep["pagination"]!["total_count"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_long_timeline_is_read_through_the_indexes_and_deep_pages_by_cursor()
    {
        var (campaignId, messageId) = await MessageWithEventsAsync(Event("claimed"));
        // Enough events that reading them all would cost more than the index.
        var (busyCampaignId, busyId) = await MessageWithEventsAsync();
        await fixture.Database.ExecuteAsync("""
            INSERT INTO message_events (message_id, type) SELECT @busyId, 'provider_status' FROM generate_series(1, 20000);
            ANALYZE message_events;
            """, new { busyId }, Ct);

        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        var plan = string.Join("\n", await connection.QueryAsync<string>(new CommandDefinition("EXPLAIN " + MessageEventStore.ListSql,
            new { campaignId, messageId, afterId = 0L, limit = 21, offset = 0 }, cancellationToken: Ct)));
        var tooDeep = await _api.GetJsonAsync($"/campaigns/{busyCampaignId}/messages/{busyId}/events?page=101&page_size=100", Ct);
        var last = await _api.GetJsonAsync($"/campaigns/{busyCampaignId}/messages/{busyId}/events?page=100&page_size=100", Ct);

        TestContext.Current.TestOutputHelper?.WriteLine(plan);
        // The events of the one message through their index, the page and the count alike (the message itself is one
        // row by its id: how the planner finds it depends on how many messages the shared database holds).
        Assert.Contains("Index Scan using idx_message_events_message on message_events", plan);
        Assert.DoesNotContain("Seq Scan on message_events", plan);
        // The message in its campaign's partition only: the path gives both ids.
        Assert.Single(MessagePartitions.Scanned(plan));
        // As in every list: page numbers reach row 10,000, and the cursor goes on from there.
        tooDeep.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var lastPage = last.Expect(HttpStatusCode.OK).Json;
        Assert.Equal(20_001, lastPage["pagination"]!["total_count"]!.GetValue<long>());
        var cursor = lastPage["pagination"]!["next_cursor"]!.GetValue<string>();
        var beyond = (await _api.GetJsonAsync($"/campaigns/{busyCampaignId}/messages/{busyId}/events?page_size=100&cursor={cursor}", Ct))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal(100, beyond["data"]!.AsArray().Count);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Sending;

public sealed class SendEndpointTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_campaign_scheduled_at_the_end_of_time_is_sent_as_scheduled()
    {
        // Its messages wait until scheduled_at itself: nothing adds to the time (it once overflowed into a 500).
        var scheduledAt = new DateTimeOffset(9999, 12, 31, 23, 59, 30, TimeSpan.Zero);
        var campaignId = (await _api.CreateCampaignAsync(Ct, scheduledAt: scheduledAt))["id"]!.GetValue<long>();
        var customer = await fixture.Database.InsertCustomerAsync(Ct);

        var response = await _api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { customer } }, Ct);

        response.Expect(HttpStatusCode.Accepted);
        Assert.Equal("scheduled", response.Json["status"]!.GetValue<string>());
        Assert.Equal(scheduledAt.UtcDateTime, await fixture.Database.ScalarAsync<DateTime>(
            "SELECT next_attempt_at FROM outbound_messages WHERE campaign_id = @campaignId AND queued_at IS NULL", new { campaignId }, Ct));
    }

    [Fact]
    public async Task A_campaign_sent_now_has_its_messages_queued_and_due_at_the_databases_time_of_the_send()
    {
        // The API's clock never enters: the stamp and the due time are the send transaction's now(), as is
        // the campaign's audience_attached_at, whatever the API host's clock says. The API runs in this
        // process publishing to a Redis database no worker reads, so no claim moves the messages on first.
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        await using var factory = InProcessApi.Create(postgres, await fixture.Graph.UnreadRedisAsync(8, Ct));
        using var api = factory.CreateAuthenticatedClient();
        var campaignId = (await api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customers = await fixture.Database.InsertCustomersAsync(3, Ct);
        try
        {
            (await api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = customers }, Ct)).Expect(HttpStatusCode.Accepted);

            Assert.Equal(3, await fixture.Database.ScalarAsync<long>("""
                SELECT count(*) FROM outbound_messages m JOIN campaigns c ON c.id = m.campaign_id
                WHERE m.campaign_id = @campaignId
                  AND m.next_attempt_at = c.audience_attached_at AND m.queued_at = c.audience_attached_at AND m.created_at = c.audience_attached_at
                """, new { campaignId }, Ct));
        }
        finally
        {
            // Its jobs went where no worker reads: cancel, so the retry driver never re-queues them.
            await api.PostJsonAsync($"/campaigns/{campaignId}/cancel", null, Ct);
        }
    }

    [Fact]
    public async Task A_send_writes_one_rendered_message_per_distinct_customer_and_answers_202()
    {
        var campaign = await _api.CreateCampaignAsync(Ct, template: "Hi {first_name} from {location}!");
        var campaignId = campaign["id"]!.GetValue<long>();
        var alice = await fixture.Database.InsertCustomerAsync(Ct, firstName: "Alice", location: "Nairobi");
        var bob = await fixture.Database.InsertCustomerAsync(Ct, firstName: "Bob");
        var optedOut = await fixture.Database.InsertCustomerAsync(Ct, optedOut: true);

        var response = await _api.PostJsonAsync($"/campaigns/{campaignId}/send",
            new { customer_ids = new[] { alice, bob, alice, optedOut, bob } }, Ct);

        response.Expect(HttpStatusCode.Accepted);
        Assert.Equal(new JsonObject { ["campaign_id"] = campaignId, ["messages_queued"] = 2, ["skipped_opted_out"] = 1, ["skipped_suppressed"] = 0, ["skipped_frequency_capped"] = 0, ["status"] = "sending" }.ToJsonString(),
            response.Json.ToJsonString());
        var messages = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages", Ct)).Expect(HttpStatusCode.OK).Json["data"]!.AsArray();
        Assert.Equal(2, messages.Count);
        var byCustomer = messages.ToDictionary(m => m!["customer_id"]!.GetValue<long>(), m => m!["rendered_content"]!.GetValue<string>());
        Assert.Equal("Hi Alice from Nairobi!", byCustomer[alice]);
        Assert.Equal("Hi Bob from !", byCustomer[bob]);
        var stats = (await _api.GetJsonAsync($"/campaigns/{campaignId}", Ct)).Json["stats"]!;
        Assert.Equal(2, stats["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_campaign_is_sent_once()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customer = await fixture.Database.InsertCustomerAsync(Ct);
        (await _api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { customer } }, Ct)).Expect(HttpStatusCode.Accepted);

        var again = await _api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { customer } }, Ct);

        again.Expect(HttpStatusCode.Conflict, "CAMPAIGN_NOT_SENDABLE");
    }

    [Fact]
    public async Task Of_twenty_concurrent_sends_exactly_one_wins()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var customers = await fixture.Database.InsertCustomersAsync(50, Ct);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var client = fixture.CreateApiClient();
            return await client.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = customers }, Ct);
        }));

        Assert.Single(responses, r => r.Status == HttpStatusCode.Accepted);
        Assert.All(responses.Where(r => r.Status != HttpStatusCode.Accepted), r => r.Expect(HttpStatusCode.Conflict, "CAMPAIGN_NOT_SENDABLE"));
        Assert.Equal(50, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbound_messages WHERE campaign_id = @campaignId", new { campaignId }, Ct));
    }

    [Fact]
    public async Task Unknown_customers_are_404_with_missing_ids_and_nothing_is_created()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var known = await fixture.Database.InsertCustomerAsync(Ct);

        var response = await _api.PostJsonAsync($"/campaigns/{campaignId}/send",
            new { customer_ids = new[] { known, 9_000_000_001, 9_000_000_002 } }, Ct);

        response.Expect(HttpStatusCode.NotFound, "CUSTOMER_NOT_FOUND");
        Assert.Equal([9_000_000_001, 9_000_000_002], response.Json["missing_ids"]!.AsArray().Select(n => n!.GetValue<long>()));
        var campaign = (await _api.GetJsonAsync($"/campaigns/{campaignId}", Ct)).Json;
        Assert.Equal("draft", campaign["status"]!.GetValue<string>());
        Assert.Equal(0, campaign["stats"]!["total"]!.GetValue<int>());
        (await _api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { known } }, Ct)).Expect(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Missing_ids_list_at_most_one_hundred()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();

        var response = await _api.PostJsonAsync($"/campaigns/{campaignId}/send",
            new { customer_ids = Enumerable.Range(1, 150).Select(i => 8_000_000_000L + i).ToArray() }, Ct);

        response.Expect(HttpStatusCode.NotFound, "CUSTOMER_NOT_FOUND");
        Assert.Equal(100, response.Json["missing_ids"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_send_to_only_opted_out_customers_is_a_validation_error_and_creates_nothing()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var optedOut = await fixture.Database.InsertCustomerAsync(Ct, optedOut: true);

        var response = await _api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { optedOut } }, Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("draft", (await _api.GetJsonAsync($"/campaigns/{campaignId}", Ct)).Json["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_audience_filter_matches_case_insensitively_and_skips_opt_outs()
    {
        var place = Unique.Name("Town");
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var matching = new[]
        {
            await fixture.Database.InsertCustomerAsync(Ct, location: place, product: "Shoes"),
            await fixture.Database.InsertCustomerAsync(Ct, location: place.ToUpperInvariant(), product: "shoes"),
        };
        await fixture.Database.InsertCustomerAsync(Ct, location: place, product: "Hats");
        await fixture.Database.InsertCustomerAsync(Ct, location: place, product: "Shoes", optedOut: true);

        var response = await _api.PostJsonAsync($"/campaigns/{campaignId}/send",
            new { audience = new { location = place.ToLowerInvariant(), preferred_product = "SHOES" } }, Ct);

        response.Expect(HttpStatusCode.Accepted);
        Assert.Equal(2, response.Json["messages_queued"]!.GetValue<int>());
        Assert.Equal(1, response.Json["skipped_opted_out"]!.GetValue<int>());
        var recipients = (await _api.GetJsonAsync($"/campaigns/{campaignId}/messages", Ct)).Json["data"]!.AsArray()
            .Select(m => m!["customer_id"]!.GetValue<long>()).Order();
        Assert.Equal(matching.Order(), recipients);
    }

    [Fact]
    public async Task An_audience_that_matches_no_one_is_a_validation_error()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();

        var response = await _api.PostJsonAsync($"/campaigns/{campaignId}/send", new { audience = new { location = Unique.Name("Nowhere") } }, Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task A_future_scheduled_campaign_answers_scheduled_and_keeps_its_messages_pending()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct, scheduledAt: DateTimeOffset.UtcNow.AddHours(1)))["id"]!.GetValue<long>();
        var customer = await fixture.Database.InsertCustomerAsync(Ct);

        var response = await _api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { customer } }, Ct);

        response.Expect(HttpStatusCode.Accepted);
        Assert.Equal("scheduled", response.Json["status"]!.GetValue<string>());
        var campaign = (await _api.GetJsonAsync($"/campaigns/{campaignId}", Ct)).Json;
        Assert.Equal("scheduled", campaign["status"]!.GetValue<string>());
        Assert.Equal(1, campaign["stats"]!["pending"]!.GetValue<int>());
        (await _api.PostJsonAsync($"/campaigns/{campaignId}/send", new { customer_ids = new[] { customer } }, Ct))
            .Expect(HttpStatusCode.Conflict, "CAMPAIGN_NOT_SENDABLE");
        (await _api.PatchJsonAsync($"/campaigns/{campaignId}", new { name = "changed" }, Ct))
            .Expect(HttpStatusCode.Conflict, "CAMPAIGN_NOT_SENDABLE");
    }

    public static TheoryData<string> InvalidBodies => new()
    {
        """{}""",
        """{"customer_ids":[1],"audience":{}}""",
        """{"customer_ids":[]}""",
        """{"customer_ids":[0]}""",
        """{"customer_ids":[-4]}""",
        $$"""{"customer_ids":[{{string.Join(",", Enumerable.Range(1, 100_001))}}]}""",
        """{"audience":{"location":"a\u0000b"}}""",
        // A misspelt filter must not widen the send to everyone.
        """{"audience":{"loaction":"Nairobi"}}""",
        """{"audience":{"location":"Nairobi","city":"Nairobi"}}""",
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Broken_bodies_are_validation_errors(string body)
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();

        (await _api.PostJsonAsync($"/campaigns/{campaignId}/send", body, Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Theory]
    [InlineData("""{"customer_ids":"1,2"}""")]
    [InlineData("""{"customer_ids":[1,"2"]}""")]
    [InlineData("""{"customer_ids":[1.5]}""")]
    [InlineData("""{"customer_ids":[99999999999999999999999]}""")]
    [InlineData("""{"audience":"everyone"}""")]
    public async Task Wrongly_typed_bodies_are_invalid_json(string body)
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();

        (await _api.PostJsonAsync($"/campaigns/{campaignId}/send", body, Ct)).Expect(HttpStatusCode.BadRequest, "INVALID_JSON");
    }

    [Fact]
    public async Task An_unknown_audience_member_is_named_and_nothing_is_sent()
    {
        var campaignId = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();

        var response = await _api.PostJsonAsync($"/campaigns/{campaignId}/send", """{"audience":{"city":"Atlantis"}}""", Ct);

        response.Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.NotNull(response.Json["errors"]!["audience.city"]);
        var campaign = (await _api.GetJsonAsync($"/campaigns/{campaignId}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("draft", campaign["status"]!.GetValue<string>());
        Assert.Equal(0, campaign["stats"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Body_errors_come_before_the_campaign_lookup()
    {
        (await _api.PostJsonAsync("/campaigns/987654321/send", "{}", Ct)).Expect(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await _api.PostJsonAsync("/campaigns/987654321/send", new { customer_ids = new[] { 1 } }, Ct))
            .Expect(HttpStatusCode.NotFound, "CAMPAIGN_NOT_FOUND");
    }
}

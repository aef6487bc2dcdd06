using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Campaigns.Core.Content;
using Campaigns.Tests.Infrastructure;
using Campaigns.Worker.Maintenance;
using Campaigns.Worker.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace Campaigns.Tests.Variants;

/// <summary>
/// The A/B test through the graph: the sample written first in its own variants and the rest held without text, the
/// decision on the clicks this test makes, the winner sent to the rest, nobody messaged twice; pause and cancel around the
/// decision; and the decision run by two deciders at once (plus the graph's worker) deciding and releasing once. Each test
/// brings its decision forward (decide_at = now()) instead of waiting for a real decide_after.
/// </summary>
public sealed partial class AbTestTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly object[] TwoLinkedVariants =
    [
        new { key = "a", template = "A {first_name} https://shop.example/a", weight = 1 },
        new { key = "b", template = "B {first_name} https://shop.example/b", weight = 1 },
    ];

    [GeneratedRegex("^(?<v>[AB]) Test (?<base>http://[^ ]+/l/)(?<code>[0-9A-Za-z]{8})$")]
    private static partial Regex TrackedText();

    private string LinkPrefix => fixture.Graph.App.GetEndpoint("api", "http").GetLeftPart(UriPartial.Authority) + "/l/";

    private async Task<(long Id, VariantContent[] Variants, long[] Customers)> SendAbTestAsync(int recipients, int samplePercent, string metric,
        bool trackLinks = true)
    {
        var campaign = await _api.CreateWithVariantsAsync(Ct, TwoLinkedVariants,
            new { sample_percent = samplePercent, metric, decide_after = "PT1H" }, trackLinks);
        var id = campaign["id"]!.GetValue<long>();
        var customers = await fixture.Database.TestCustomersAsync(recipients, Ct);
        (await _api.PostJsonAsync($"/campaigns/{id}/send", new { customer_ids = customers }, Ct)).Expect(HttpStatusCode.Accepted);
        return (id, VariantCalls.VariantsOf(campaign), customers);
    }

    /// <summary>Waits until the sample is sent (or failed): only the undecided rest is pending.</summary>
    private Task<JsonNode> WaitForSampleAsync(long id, int rest) => _api.WaitForCampaignAsync(id,
        c => c["stats"]!["pending"]!.GetValue<int>() == rest && c["stats"]!["sending"]!.GetValue<int>() == 0, Patience, Ct);

    private Task DecideNowAsync(long id) => fixture.Database.ExecuteAsync("UPDATE campaigns SET decide_at = now() WHERE id = @id", new { id }, Ct);

    /// <summary>Every message had one provider call per recorded attempt: nobody was messaged twice.</summary>
    private async Task AssertOneCallPerAttemptAsync(long id, IReadOnlyList<JsonNode> messages)
    {
        var calls = await fixture.Database.CallsPerMessageAsync(id, Ct);
        foreach (var message in messages)
        {
            var attempts = message["retry_count"]!.GetValue<int>() + (message["status"]!.GetValue<string>() == "sent" ? 1 : 0);
            Assert.True(calls[message["id"]!.GetValue<long>()] == attempts, $"{calls[message["id"]!.GetValue<long>()]} calls for {message.ToJsonString()}");
        }
    }

    [Fact]
    public async Task A_full_run_sends_the_sample_decides_on_clicks_and_sends_the_winner_to_the_rest_once()
    {
        var (id, variants, customers) = await SendAbTestAsync(50, 20, "clicked");

        // Written: the sample (the 10 of lowest rank) in each one's own variant, the rest without variant or text.
        var sample = customers.OrderBy(c => VariantAssignment.SampleRank(id, c)).Take(10).ToHashSet();
        var written = await _api.MessagesAsync(id, Ct);
        Assert.Equal(50, written.Count);
        foreach (var message in written)
        {
            var customer = message["customer_id"]!.GetValue<long>();
            if (sample.Contains(customer))
            {
                var variant = VariantAssignment.Pick(id, customer, variants);
                Assert.Equal(variant, message["variant"]!.GetValue<string>());
                var text = TrackedText().Match(message["rendered_content"]!.GetValue<string>());
                Assert.True(text.Success && text.Groups["v"].Value == variant.ToUpperInvariant(), message.ToJsonString());
            }
            else
            {
                Assert.Null(message["variant"]);
                Assert.Null(message["rendered_content"]);
                Assert.Equal(("pending", 0), (message["status"]!.GetValue<string>(), message["retry_count"]!.GetValue<int>()));
            }
        }
        Assert.Equal(3600.0, await fixture.Database.ScalarAsync<double>("""
            SELECT extract(epoch FROM c.decide_at - (SELECT min(m.created_at) FROM outbound_messages m WHERE m.campaign_id = c.id))::float8
            FROM campaigns c WHERE c.id = @id
            """, new { id }, Ct));
        var beforeDecision = await WaitForSampleAsync(id, rest: 40);
        Assert.Null(beforeDecision["winner"]);
        Assert.Equal("sending", beforeDecision["status"]!.GetValue<string>());
        Assert.Equal(0, beforeDecision["stats"]!["waiting"]!.GetValue<int>());

        // Clicks on the sample of the highest key present (so the tie rule alone cannot make it win).
        var sampleMessages = written.Where(m => m["variant"] is not null).ToList();
        var clicked = sampleMessages.Select(m => m["variant"]!.GetValue<string>()).Max(StringComparer.Ordinal)!;
        using var recipient = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = fixture.Graph.App.GetEndpoint("api", "http"),
        };
        var clicks = 0;
        foreach (var message in sampleMessages.Where(m => m["variant"]!.GetValue<string>() == clicked))
        {
            var code = TrackedText().Match(message["rendered_content"]!.GetValue<string>()).Groups["code"].Value;
            using var response = await recipient.GetAsync($"/l/{code}", Ct);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            clicks++;
        }
        await _api.WaitForCampaignAsync(id, c => c["stats"]!["clicked"]!.GetValue<int>() == clicks, Patience, Ct);

        await DecideNowAsync(id);
        var done = await _api.WaitForCampaignAsync(id, c => c["status"]!.GetValue<string>() is "sent" or "failed", Patience, Ct);

        Assert.Equal(clicked, done["winner"]!.GetValue<string>());
        var messages = await _api.MessagesAsync(id, Ct);
        Assert.Equal(50, messages.Count);
        foreach (var message in messages.Where(m => !sample.Contains(m["customer_id"]!.GetValue<long>())))
        {
            Assert.Equal(clicked, message["variant"]!.GetValue<string>());
            var text = TrackedText().Match(message["rendered_content"]!.GetValue<string>());
            Assert.True(text.Success && text.Groups["v"].Value == clicked.ToUpperInvariant() && text.Groups["base"].Value == LinkPrefix,
                message.ToJsonString());
        }
        Assert.Equal(50L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(DISTINCT message_id) FROM links WHERE campaign_id = @id", new { id }, Ct));
        Assert.Equal(50L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM links WHERE campaign_id = @id", new { id }, Ct));
        await AssertOneCallPerAttemptAsync(id, messages);
        var perVariant = done["stats"]!["variants"]!;
        Assert.Equal(sampleMessages.Count(m => m["variant"]!.GetValue<string>() == clicked) + 40, perVariant[clicked]!["total"]!.GetValue<int>());
        Assert.Equal(clicks, perVariant[clicked]!["clicked"]!.GetValue<int>());
        Assert.Equal(50, done["stats"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_paused_campaign_is_decided_only_once_resumed_and_ties_go_to_the_lowest_key()
    {
        var (id, _, customers) = await SendAbTestAsync(20, 50, "delivered", trackLinks: false);
        var sample = customers.OrderBy(c => VariantAssignment.SampleRank(id, c)).Take(10).ToHashSet();
        await WaitForSampleAsync(id, rest: 10);
        (await _api.PostJsonAsync($"/campaigns/{id}/pause", null, Ct)).Expect(HttpStatusCode.OK);

        await DecideNowAsync(id);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct); // eight rounds of the graph's decider
        var paused = (await _api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Null(paused["winner"]);
        Assert.Equal(10, paused["stats"]!["pending"]!.GetValue<int>());
        (await _api.PostJsonAsync($"/campaigns/{id}/resume", null, Ct)).Expect(HttpStatusCode.OK);
        var done = await _api.WaitForCampaignAsync(id, c => c["status"]!.GetValue<string>() is "sent" or "failed", Patience, Ct);

        // The mock provider sends no receipts: nothing is delivered, every rate is 0, the lowest key wins.
        Assert.Equal("a", done["winner"]!.GetValue<string>());
        var messages = await _api.MessagesAsync(id, Ct);
        var rest = messages.Where(m => !sample.Contains(m["customer_id"]!.GetValue<long>())).ToList();
        Assert.Equal(10, rest.Count);
        Assert.All(rest, m => Assert.Equal(("a", "A Test https://shop.example/a"),
            (m["variant"]!.GetValue<string>(), m["rendered_content"]!.GetValue<string>())));
        await AssertOneCallPerAttemptAsync(id, messages);
    }

    [Fact]
    public async Task A_scheduled_test_holds_its_sample_until_the_time_and_decides_after_it()
    {
        var scheduledAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var campaign = await _api.CreateWithVariantsAsync(Ct, TwoLinkedVariants,
            new { sample_percent = 50, metric = "clicked", decide_after = "PT1H" }, scheduledAt: scheduledAt);
        var id = campaign["id"]!.GetValue<long>();
        var customers = await fixture.Database.TestCustomersAsync(20, Ct);

        var accepted = (await _api.PostJsonAsync($"/campaigns/{id}/send", new { customer_ids = customers }, Ct)).Expect(HttpStatusCode.Accepted).Json;

        Assert.Equal("scheduled", accepted["status"]!.GetValue<string>());
        Assert.Equal(3600.0, await fixture.Database.ScalarAsync<double>(
            "SELECT extract(epoch FROM decide_at - scheduled_at)::float8 FROM campaigns WHERE id = @id", new { id }, Ct));
        // The sample waits for scheduled_at like any scheduled message; the rest is never due.
        Assert.Equal(10L, await fixture.Database.ScalarAsync<long>("""
            SELECT count(*) FROM outbound_messages m JOIN campaigns c ON c.id = m.campaign_id
            WHERE m.campaign_id = @id AND m.variant IS NOT NULL AND m.queued_at IS NULL AND m.next_attempt_at = c.scheduled_at
            """, new { id }, Ct));
        Assert.Equal(10L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbound_messages WHERE campaign_id = @id AND variant IS NULL AND next_attempt_at = 'infinity'", new { id }, Ct));
        await WaitForSampleAsync(id, rest: 10);
        await DecideNowAsync(id);
        var done = await _api.WaitForCampaignAsync(id, c => c["status"]!.GetValue<string>() is "sent" or "failed", Patience, Ct);

        Assert.Equal("a", done["winner"]!.GetValue<string>());
        var messages = await _api.MessagesAsync(id, Ct);
        Assert.Equal(20, messages.Count);
        Assert.True(messages.Count(m => m["variant"]!.GetValue<string>() == "a") >= 10);
        await AssertOneCallPerAttemptAsync(id, messages);
    }

    [Fact]
    public async Task Cancel_before_the_decision_cancels_the_undecided_rest_and_nothing_is_decided()
    {
        var (id, _, _) = await SendAbTestAsync(20, 50, "clicked", trackLinks: false);
        await WaitForSampleAsync(id, rest: 10);

        (await _api.PostJsonAsync($"/campaigns/{id}/cancel", null, Ct)).Expect(HttpStatusCode.OK);
        await DecideNowAsync(id);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);

        var cancelled = (await _api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.Null(cancelled["winner"]);
        Assert.Equal(10, cancelled["stats"]!["cancelled"]!.GetValue<int>());
        Assert.Equal(0, cancelled["stats"]!["pending"]!.GetValue<int>());
        var messages = await _api.MessagesAsync(id, Ct);
        Assert.Equal(10, messages.Count(m => m["variant"] is null && m["status"]!.GetValue<string>() == "cancelled"));
        Assert.Equal(0L, (await fixture.Database.CallsPerMessageAsync(id, Ct)).Where(c => messages.Any(m =>
            m["id"]!.GetValue<long>() == c.Key && m["variant"] is null)).Sum(c => c.Value));
    }

    [Fact]
    public async Task Two_deciders_at_once_decide_a_test_once_and_release_its_rest_once()
    {
        var (id, _, _) = await SendAbTestAsync(40, 10, "clicked");
        await WaitForSampleAsync(id, rest: 36);
        var links = Microsoft.Extensions.Options.Options.Create(new ShortLinkOptions
        {
            BaseUrl = fixture.Graph.App.GetEndpoint("api", "http").GetLeftPart(UriPartial.Authority),
        });
        AbTestDecider Decider() => new(fixture.Database, Microsoft.Extensions.Options.Options.Create(new WorkerOptions()), links,
            new Campaigns.Core.Languages.RecipientLanguages(Campaigns.Core.Languages.LanguageOptions.BuiltInRegions), NullLogger<AbTestDecider>.Instance);
        var first = Decider();
        var second = Decider();

        await DecideNowAsync(id);
        // Both (and the graph's worker) race for every due test until this one is decided; other tests' due ones may be taken too.
        async Task<List<long>> DecideAllAsync(AbTestDecider decider)
        {
            var decided = new List<long>();
            while (await decider.DecideNextAsync(Ct) is { } campaign)
            {
                decided.Add(campaign);
            }
            return decided;
        }
        var rounds = await Task.WhenAll(DecideAllAsync(first), DecideAllAsync(second));
        var done = await _api.WaitForCampaignAsync(id, c => c["status"]!.GetValue<string>() is "sent" or "failed", Patience, Ct);

        Assert.True(rounds.Sum(r => r.Count(c => c == id)) <= 1, "the test was decided more than once");
        Assert.Equal("a", done["winner"]!.GetValue<string>());
        var messages = await _api.MessagesAsync(id, Ct);
        Assert.Equal(40, messages.Count);
        Assert.All(messages, m => Assert.NotNull(m["variant"]));
        Assert.True(messages.Count(m => m["variant"]!.GetValue<string>() == "a") >= 36);
        Assert.Equal(40L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM links WHERE campaign_id = @id", new { id }, Ct));
        Assert.Equal(40L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(DISTINCT message_id) FROM links WHERE campaign_id = @id", new { id }, Ct));
        await AssertOneCallPerAttemptAsync(id, messages);
    }
}

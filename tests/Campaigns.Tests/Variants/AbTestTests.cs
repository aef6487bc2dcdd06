using System.Net;
using System.Text.Json.Nodes;
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
/// decision; the decision run by two deciders at once (plus the graph's worker) deciding and releasing once; and
/// <c>{recommended_product}</c> in the sample and the rest as the send renders it. Each test brings its decision forward
/// (decide_at = now()) instead of waiting for a real decide_after.
/// </summary>
public sealed class AbTestTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly AbTestRun _run = new(fixture.CreateApiClient(), fixture.Database, fixture.Graph.App.GetEndpoint("api", "http"));

    [Fact]
    public async Task A_full_run_sends_the_sample_decides_on_clicks_and_sends_the_winner_to_the_rest_once() =>
        await _run.RunAsync(recipients: 50, samplePercent: 20);

    [Fact]
    public async Task A_paused_campaign_is_decided_only_once_resumed_and_ties_go_to_the_lowest_key()
    {
        var (id, _, customers) = await _run.SendAsync(20, 50, "delivered", trackLinks: false);
        var sample = customers.OrderBy(c => VariantAssignment.SampleRank(id, c)).Take(10).ToHashSet();
        await _run.WaitForSampleAsync(id, rest: 10);
        (await _api.PostJsonAsync($"/campaigns/{id}/pause", null, Ct)).Expect(HttpStatusCode.OK);

        await _run.DecideNowAsync(id);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct); // eight rounds of the graph's decider
        var paused = (await _api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK).Json;
        Assert.Null(paused["winner"]);
        Assert.Equal(10, paused["stats"]!["pending"]!.GetValue<int>());
        (await _api.PostJsonAsync($"/campaigns/{id}/resume", null, Ct)).Expect(HttpStatusCode.OK);
        var done = await _run.WaitUntilDoneAsync(id);

        // The mock provider sends no receipts: nothing is delivered, every rate is 0, the lowest key wins.
        Assert.Equal("a", done["winner"]!.GetValue<string>());
        var messages = await _api.MessagesAsync(id, Ct);
        var rest = messages.Where(m => !sample.Contains(m["customer_id"]!.GetValue<long>())).ToList();
        Assert.Equal(10, rest.Count);
        Assert.All(rest, m => Assert.Equal(("a", "A Test https://shop.example/a"),
            (m["variant"]!.GetValue<string>(), m["rendered_content"]!.GetValue<string>())));
        await _run.AssertOneCallPerAttemptAsync(id, messages);
    }

    [Fact]
    public async Task A_scheduled_test_holds_its_sample_until_the_time_and_decides_after_it()
    {
        var scheduledAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var campaign = await _api.CreateWithVariantsAsync(Ct, AbTestRun.TwoLinkedVariants,
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
        await _run.WaitForSampleAsync(id, rest: 10);
        await _run.DecideNowAsync(id);
        var done = await _run.WaitUntilDoneAsync(id);

        Assert.Equal("a", done["winner"]!.GetValue<string>());
        var messages = await _api.MessagesAsync(id, Ct);
        Assert.Equal(20, messages.Count);
        Assert.True(messages.Count(m => m["variant"]!.GetValue<string>() == "a") >= 10);
        await _run.AssertOneCallPerAttemptAsync(id, messages);
    }

    [Fact]
    public async Task Cancel_before_the_decision_cancels_the_undecided_rest_and_nothing_is_decided()
    {
        var (id, _, _) = await _run.SendAsync(20, 50, "clicked", trackLinks: false);
        await _run.WaitForSampleAsync(id, rest: 10);

        (await _api.PostJsonAsync($"/campaigns/{id}/cancel", null, Ct)).Expect(HttpStatusCode.OK);
        await _run.DecideNowAsync(id);
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
        var (id, _, _) = await _run.SendAsync(40, 10, "clicked");
        await _run.WaitForSampleAsync(id, rest: 36);
        var links = Microsoft.Extensions.Options.Options.Create(new ShortLinkOptions
        {
            BaseUrl = fixture.Graph.App.GetEndpoint("api", "http").GetLeftPart(UriPartial.Authority),
        });
        AbTestDecider Decider() => new(fixture.Database, Microsoft.Extensions.Options.Options.Create(new WorkerOptions()), links,
            new Campaigns.Core.Languages.RecipientLanguages(Campaigns.Core.Languages.LanguageOptions.BuiltInRegions),
            new Campaigns.Core.Recommendations.CoOccurrenceRecommender(), NullLogger<AbTestDecider>.Instance);
        var first = Decider();
        var second = Decider();

        await _run.DecideNowAsync(id);
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
        var done = await _run.WaitUntilDoneAsync(id);

        Assert.True(rounds.Sum(r => r.Count(c => c == id)) <= 1, "the test was decided more than once");
        Assert.Equal("a", done["winner"]!.GetValue<string>());
        var messages = await _api.MessagesAsync(id, Ct);
        Assert.Equal(40, messages.Count);
        Assert.All(messages, m => Assert.NotNull(m["variant"]));
        Assert.True(messages.Count(m => m["variant"]!.GetValue<string>() == "a") >= 36);
        Assert.Equal(40L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM links WHERE campaign_id = @id", new { id }, Ct));
        Assert.Equal(40L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(DISTINCT message_id) FROM links WHERE campaign_id = @id", new { id }, Ct));
        await _run.AssertOneCallPerAttemptAsync(id, messages);
    }

    [Fact]
    public async Task The_sample_and_the_rest_get_the_product_the_recommender_picks_for_each_recipient()
    {
        // A location of its own, so every count is this test's: Alpha 8, Beta 6, Gamma 4, no product 2. The location's top two
        // are Alpha and Beta: Alpha's customers get Beta, everyone else Alpha.
        var location = Unique.Name("ab-recommended");
        (string Product, int Count)[] products = [("Alpha", 8), ("Beta", 6), ("Gamma", 4), ("", 2)];
        var expected = new Dictionary<long, string>();
        foreach (var (product, count) in products)
        {
            for (var i = 0; i < count; i++)
            {
                expected[await fixture.Database.InsertCustomerAsync(Ct, location: location, product: product)] = product == "Alpha" ? "Beta" : "Alpha";
            }
        }
        var campaign = await _api.CreateWithVariantsAsync(Ct, new object[]
        {
            new { key = "a", template = "A {first_name}: try {recommended_product}", weight = 1 },
            new { key = "b", template = "B {first_name}: try {recommended_product}", weight = 1 },
        }, new { sample_percent = 50, metric = "delivered", decide_after = "PT1H" });
        var id = campaign["id"]!.GetValue<long>();
        (await _api.PostJsonAsync($"/campaigns/{id}/send", new { customer_ids = expected.Keys.ToArray() }, Ct)).Expect(HttpStatusCode.Accepted);
        await _run.WaitForSampleAsync(id, rest: 10);

        // The sample, rendered by the API's send, already carries the picks.
        var sample = (await _api.MessagesAsync(id, Ct)).Where(m => m["variant"] is not null).ToList();
        Assert.Equal(10, sample.Count);
        Assert.All(sample, m => Assert.Equal(
            $"{m["variant"]!.GetValue<string>().ToUpperInvariant()} Test: try {expected[m["customer_id"]!.GetValue<long>()]}",
            m["rendered_content"]!.GetValue<string>()));

        await _run.DecideNowAsync(id);
        var done = await _run.WaitUntilDoneAsync(id);

        // No receipts from the mock provider: a tie, "a" wins. The rest, rendered by the worker's release, gets the same picks.
        Assert.Equal("a", done["winner"]!.GetValue<string>());
        var messages = await _api.MessagesAsync(id, Ct);
        Assert.Equal(20, messages.Count);
        var sampleIds = sample.Select(m => m["id"]!.GetValue<long>()).ToHashSet();
        var rest = messages.Where(m => !sampleIds.Contains(m["id"]!.GetValue<long>())).ToList();
        Assert.Equal(10, rest.Count);
        Assert.All(rest, m => Assert.Equal(("a", $"A Test: try {expected[m["customer_id"]!.GetValue<long>()]}"),
            (m["variant"]!.GetValue<string>(), m["rendered_content"]!.GetValue<string>())));
        // And the preview, which asks the same recommender, agrees.
        foreach (var message in rest.Take(3))
        {
            Assert.Equal(message["rendered_content"]!.GetValue<string>(), (await _api.PostJsonAsync($"/campaigns/{id}/personalized-preview",
                new { customer_id = message["customer_id"]!.GetValue<long>(), variant = "a" }, Ct)).Expect(HttpStatusCode.OK).Json["rendered_message"]!.GetValue<string>());
        }
        await _run.AssertOneCallPerAttemptAsync(id, messages);
    }
}

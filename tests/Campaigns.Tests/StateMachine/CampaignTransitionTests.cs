using Campaigns.Core.Domain;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.StateMachine;

/// <summary>
/// Every transition of a campaign, legal and refused, through the state machine's functions. Each scene
/// has one message pending (queued an hour ahead, so no worker claims it) or, where the status implies
/// it, finished messages only.
/// </summary>
public sealed class CampaignTransitionTests(AppFixture fixture)
{
    private readonly StateMachineScene _scene = new(fixture.Database);

    private async Task<long> SceneAsync(string status, string messageStatus = "pending")
    {
        var campaign = await _scene.CampaignAsync("paused");
        await _scene.MessageAsync(campaign, messageStatus, queuedIn: messageStatus == "pending" ? StateMachineScene.Later : null);
        await _scene.SetStatusAsync(campaign, status);
        return campaign;
    }

    private async Task<string> StatusAsync(long campaign) => (await _scene.ReadCampaignAsync(campaign)).Status;

    [Theory]
    [InlineData("sending", true, "paused")]
    [InlineData("draft", false, "draft")]
    [InlineData("scheduled", false, "scheduled")]
    [InlineData("paused", false, "paused")]
    [InlineData("sent", false, "sent")]
    [InlineData("failed", false, "failed")]
    [InlineData("cancelled", false, "cancelled")]
    public async Task Pause_only_from_sending(string from, bool changed, string to)
    {
        var campaign = await SceneAsync(from);

        Assert.Equal(changed, await _scene.CallAsync<bool>("SELECT pause_campaign(@campaign)", new { campaign }));
        Assert.Equal(to, await StatusAsync(campaign));
    }

    [Theory]
    [InlineData("paused", true, "sending")]
    [InlineData("draft", false, "draft")]
    [InlineData("scheduled", false, "scheduled")]
    [InlineData("sending", false, "sending")]
    [InlineData("sent", false, "sent")]
    [InlineData("failed", false, "failed")]
    [InlineData("cancelled", false, "cancelled")]
    public async Task Resume_only_from_paused(string from, bool changed, string to)
    {
        var campaign = await SceneAsync(from);

        var resumed = await _scene.CallAsync<(bool Resumed, long[] Ids)>("SELECT resumed, message_ids FROM resume_campaign(@campaign)", new { campaign });

        Assert.Equal(changed, resumed.Resumed);
        Assert.Equal(changed ? 1 : 0, resumed.Ids.Length);
        Assert.Equal(to, await StatusAsync(campaign));
    }

    [Fact]
    public async Task Resume_of_a_campaign_with_nothing_left_completes_it()
    {
        var campaign = await SceneAsync("paused", messageStatus: "sent");

        Assert.True(await _scene.CallAsync<bool>("SELECT resumed FROM resume_campaign(@campaign)", new { campaign }));
        Assert.Equal("sent", await StatusAsync(campaign));
    }

    [Theory]
    [InlineData("draft", true)]
    [InlineData("scheduled", true)]
    [InlineData("sending", true)]
    [InlineData("paused", true)]
    [InlineData("sent", false)]
    [InlineData("failed", false)]
    [InlineData("cancelled", false)]
    public async Task Cancel_until_finished_cancels_every_pending_message(string from, bool changed)
    {
        var campaign = await SceneAsync(from);

        Assert.Equal(changed, await _scene.CallAsync<bool>("SELECT cancel_campaign(@campaign)", new { campaign }));
        var after = await _scene.ReadCampaignAsync(campaign);
        Assert.Equal(changed ? "cancelled" : from, after.Status);
        Assert.Equal(changed ? (0, 1) : (1, 0), (after.Pending, after.Cancelled));
    }

    [Theory]
    [InlineData("failed", "failed", true)]
    [InlineData("sent", "failed", true)]
    [InlineData("sent", "sent", false)]
    [InlineData("sending", "failed", false)]
    [InlineData("paused", "failed", false)]
    [InlineData("cancelled", "failed", false)]
    public async Task Retry_failed_only_for_a_finished_campaign_with_failed_messages(string from, string messageStatus, bool changed)
    {
        var campaign = await SceneAsync(from, messageStatus);

        var retried = await _scene.CallAsync<(bool Retried, long[] Ids)>("SELECT retried, message_ids FROM retry_failed_campaign(@campaign)", new { campaign });

        Assert.Equal(changed, retried.Retried);
        var after = await _scene.ReadCampaignAsync(campaign);
        Assert.Equal(changed ? "sending" : from, after.Status);
        Assert.Equal(changed ? 1 : 0, retried.Ids.Length);
        Assert.Equal(changed ? 1 : 0, after.Pending);
    }

    [Theory]
    [InlineData("sent", "sent")]
    [InlineData("failed", "failed")]
    [InlineData("cancelled", "failed")]
    public async Task A_sending_campaign_with_nothing_left_completes_once(string messageStatus, string finished)
    {
        var campaign = await SceneAsync("sending", messageStatus);

        // The worker's completion sweep may get there first: then this call finds nothing to do.
        await _scene.CallManyAsync<(long, string)>("SELECT * FROM complete_campaigns(ARRAY[@campaign]::bigint[])", new { campaign });

        Assert.Equal(finished, await StatusAsync(campaign));
        Assert.Empty(await _scene.CallManyAsync<(long, string)>("SELECT * FROM complete_campaigns(ARRAY[@campaign]::bigint[])", new { campaign }));
    }

    [Theory]
    [InlineData("sending", "pending")]
    [InlineData("sending", "sending")]
    [InlineData("paused", "sent")]
    public async Task A_campaign_with_work_left_or_not_sending_does_not_complete(string status, string messageStatus)
    {
        var campaign = await SceneAsync(status, messageStatus);

        Assert.Empty(await _scene.CallManyAsync<(long, string)>("SELECT * FROM complete_campaigns(ARRAY[@campaign]::bigint[])", new { campaign }));
        Assert.Equal(status, await StatusAsync(campaign));
    }

    [Theory]
    [InlineData("draft", null, "sending")]
    [InlineData("scheduled", -60, "sending")]
    [InlineData("scheduled", 3600, "scheduled")]
    public async Task A_send_attaches_the_audience_once(string from, int? scheduledInSeconds, string to)
    {
        var campaign = await _scene.CampaignAsync(from, audienceAttached: false,
            scheduledIn: scheduledInSeconds is { } s ? TimeSpan.FromSeconds(s) : null);

        var started = await _scene.CallManyAsync<string>("SELECT status FROM start_campaign_send(@campaign)", new { campaign });
        var again = await _scene.CallManyAsync<string>("SELECT status FROM start_campaign_send(@campaign)", new { campaign });

        Assert.Equal([to], started);
        Assert.Empty(again);
    }

    [Theory]
    [InlineData("sending")]
    [InlineData("paused")]
    [InlineData("sent")]
    [InlineData("failed")]
    [InlineData("cancelled")]
    public async Task A_campaign_past_draft_or_scheduled_cannot_be_sent(string from)
    {
        var campaign = await _scene.CampaignAsync(from, audienceAttached: false);
        // A message still pending, as far as the counters know: the worker's completion sweep leaves a sending campaign alone.
        await _scene.CallManyAsync<int>("UPDATE campaigns SET total_count = 1, pending_count = 1 WHERE id = @campaign RETURNING 1", new { campaign });

        Assert.Empty(await _scene.CallManyAsync<string>("SELECT status FROM start_campaign_send(@campaign)", new { campaign }));
        Assert.Equal(from, await StatusAsync(campaign));
    }

    [Theory]
    [InlineData(true, -60, "sending")]
    [InlineData(false, -60, "scheduled")]
    [InlineData(true, 3600, "scheduled")]
    public async Task A_scheduled_campaign_is_dispatched_when_its_time_has_come_and_its_audience_is_attached(
        bool audienceAttached, int scheduledInSeconds, string to)
    {
        var campaign = await _scene.CampaignAsync("scheduled", audienceAttached, TimeSpan.FromSeconds(scheduledInSeconds));

        // The worker's scheduler runs the same function; whoever dispatches, it happens once.
        await _scene.CallManyAsync<long>("SELECT id FROM dispatch_due_campaigns(1000)", null);

        Assert.Equal(to, await StatusAsync(campaign));
    }

    [Theory]
    [InlineData("draft", true, true, "scheduled")]
    [InlineData("scheduled", true, false, "draft")]
    [InlineData("draft", false, false, "draft")]
    public async Task An_edit_before_the_send_moves_between_draft_and_scheduled(string from, bool setSchedule, bool withTime, string to)
    {
        var campaign = await _scene.CampaignAsync(from, audienceAttached: false);

        var edited = await _scene.CallAsync<long?>("SELECT edit_unsent_campaign(@campaign, 'renamed', NULL, NULL, @setSchedule, @at)",
            new { campaign, setSchedule, at = withTime ? DateTime.UtcNow.AddDays(1) : (DateTime?)null });

        Assert.Equal(campaign, edited);
        Assert.Equal(to, await StatusAsync(campaign));
    }

    [Fact]
    public async Task No_edit_once_the_audience_is_attached()
    {
        var campaign = await _scene.CampaignAsync("scheduled", audienceAttached: true, scheduledIn: TimeSpan.FromDays(1));

        Assert.Null(await _scene.CallAsync<long?>("SELECT edit_unsent_campaign(@campaign, 'renamed', NULL, NULL, true, NULL)", new { campaign }));
        Assert.Equal("scheduled", await StatusAsync(campaign));
    }

    [Theory]
    [InlineData("campaigns", "status")]
    [InlineData("outbound_messages", "status")]
    [InlineData("message_events", "type")]
    public async Task The_code_spells_every_value_the_database_allows(string table, string column)
    {
        var definition = await _scene.CallAsync<string>("""
            SELECT pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = @table::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%(' || @column || ' %'
            """, new { table, column });
        var allowed = System.Text.RegularExpressions.Regex.Matches(definition, "'([a-z_]+)'::text").Select(m => m.Groups[1].Value).Order();

        var spelled = (table, column) switch
        {
            ("campaigns", _) => CampaignStatus.All,
            ("outbound_messages", _) => MessageStatus.All,
            _ => MessageEventType.All,
        };
        Assert.Equal(spelled.Order(), allowed);
    }
}

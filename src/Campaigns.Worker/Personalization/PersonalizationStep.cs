using Campaigns.Core.Personalization;
using Campaigns.Worker.Delivery;

namespace Campaigns.Worker.Personalization;

/// <summary>
/// Just before the provider call (<see cref="SendPipeline"/>): a message of a personalized campaign gets its text
/// written by the language model (within the campaign's budget) or the plain rendering, stored on the message with
/// which one it is, and goes out with it. A message whose text was stored by an earlier attempt goes out as claimed
/// (its rendered_content is that text): the model is asked once per message.
/// </summary>
public sealed class PersonalizationStep(PersonalizationStore store, PersonalizationBudget budget, MessagePersonalizer personalizer)
{
    public async Task PersonalizeAsync(ClaimedMessage message, CancellationToken cancellationToken)
    {
        if (await store.SettingsAsync(message.CampaignId, cancellationToken) is not { } settings
            || await store.ReadMessageAsync(message.CampaignId, message.Id, cancellationToken) is not { Personalization: null } row)
        {
            return;
        }
        var written = await budget.TrySpendAsync(message.CampaignId, cancellationToken)
            ? await personalizer.WriteAsync(message.Content, row.Fields, message.Channel, settings, message.Id, cancellationToken)
            : personalizer.FallBack(message.Content, message.Channel, PersonalizationFallback.Budget, message.Id);
        if (await store.WriteAsync(message.CampaignId, message.Id, message.RetryCount, written, cancellationToken))
        {
            message.Personalize(written.Text);
        }
    }
}

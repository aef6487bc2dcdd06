// The preview beside the compose form: a customer picker, the rendered message, and its SMS encoding,
// character count and segment count as the API computes them; with variants, a picker of the one to show.
import { h, clear, num } from '../dom.js';
import { field } from '../ui/forms.js';

export function previewPanel(customers) {
  const select = h('select', { name: 'preview_customer', disabled: !customers.length },
    customers.length ? customers.map((c) => h('option', { value: c.id }, customerLabel(c))) : h('option', { value: '' }, 'No customers yet'));
  const variantSelect = h('select', { name: 'preview_variant' });
  const variantField = field('Variant', variantSelect, { name: 'variant' });
  variantField.hidden = true;
  const bubble = h('div', { class: 'bubble', id: 'preview-text', 'aria-live': 'polite' });
  const meta = h('dl', { class: 'preview-meta', id: 'preview-meta' });
  const state = h('p', { class: 'hint', id: 'preview-state' });
  const el = h('aside', { class: 'card preview', 'aria-labelledby': 'preview-title' },
    h('h2', { id: 'preview-title' }, 'Preview'),
    field('Customer', select, { name: 'customer_id' }),
    variantField,
    h('div', { class: 'phone-frame' }, bubble),
    meta,
    state);

  return {
    el,
    customerId: () => (select.value ? Number(select.value) : null),
    onCustomerChange: (fn) => select.addEventListener('change', fn),
    /** The variant picked, or '' for the message as written. */
    variant: () => variantSelect.value,
    onVariantChange: (fn) => variantSelect.addEventListener('change', fn),
    /** Offers these variant keys (none: no picker), keeping the one picked while it still exists. */
    setVariants(keys) {
      const picked = variantSelect.value;
      clear(variantSelect, h('option', { value: '' }, 'The message as written'),
        keys.map((key) => h('option', { value: key, selected: key === picked }, key)));
      variantField.hidden = !keys.length;
    },
    busy() {
      state.textContent = 'Updating…';
      el.classList.add('is-busy');
    },
    idle(message) {
      el.classList.remove('is-busy');
      bubble.classList.add('is-empty');
      bubble.textContent = message;
      clear(meta);
      state.textContent = '';
    },
    show(result, channel) {
      el.classList.remove('is-busy');
      bubble.classList.remove('is-empty');
      bubble.textContent = result.rendered_message;
      state.textContent = `For ${result.customer.first_name || `customer #${result.customer.id}`}`;
      if (result.sms) {
        const { encoding, characters, segments } = result.sms;
        clear(meta,
          item('Encoding', encoding, 'preview-encoding'),
          item('Characters', num(characters), 'preview-characters'),
          item('Segments', num(segments), 'preview-segments'));
        if (encoding === 'UCS-2') {
          meta.append(h('p', { class: 'hint wide' }, 'A character outside GSM-7 makes this a UCS-2 message: 70 characters per segment instead of 160.'));
        }
      } else {
        clear(meta,
          item('Channel', channel === 'whatsapp' ? 'WhatsApp' : 'SMS', 'preview-channel'),
          item('Characters', num([...result.rendered_message].length), 'preview-characters'),
          item('Segments', 'n/a', 'preview-segments'));
      }
      // The customer's language picks the template (a translation, else the message as written).
      meta.append(item('Language', result.language, 'preview-language'));
      if (result.variant) meta.append(item('Variant', result.variant, 'preview-variant'));
      if (result.personalization) meta.append(item('Written', result.personalization === 'ai' ? 'by AI' : 'as written (fallback)', 'preview-personalization'));
    },
  };
}

function item(label, value, id) {
  return h('div', {}, h('dt', {}, label), h('dd', { id }, value));
}

function customerLabel(c) {
  const name = [c.first_name, c.last_name].filter(Boolean).join(' ') || 'No name';
  return `${name} · ${c.phone}`;
}

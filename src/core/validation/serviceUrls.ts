import { mapOf, pairOf, scalarText, seqItems, valueOf } from '../yamlNodes';
import type { Rule } from './rule';

/** Under static discovery (the default) a service is found only by its `url`; under consul its instances give the address. */
export const servicesNeedUrls: Rule = {
  file({ file, report }) {
    for (const document of file.documents) {
      if (document.kind !== 'microservices') continue;
      const discovery = scalarText(valueOf(mapOf(valueOf(document.body, 'discovery')), 'type')) ?? 'static';
      if (discovery !== 'static') continue;
      for (const item of seqItems(valueOf(document.body, 'services'))) {
        const service = mapOf(item);
        if (!service || pairOf(service, 'url')) continue;
        const name = scalarText(valueOf(service, 'name')) ?? 'this service';
        report('schema-missing-property', `Service "${name}" needs a "url" under static discovery (or set discovery.type: consul to find its instances there).`, file.rangeOf(service), { missing: ['url'] });
      }
    }
  },
};

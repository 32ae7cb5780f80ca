import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatStatusRanges, parseStatusRanges, statusRangesProblem } from '../../src/core/statusRanges';

describe('status ranges (expect_status)', () => {
  it('reads a range, a status, a comma list and a YAML list', () => {
    assert.deepEqual(parseStatusRanges('200-299'), [[200, 299]]);
    assert.deepEqual(parseStatusRanges(204), [[204, 204]]);
    assert.deepEqual(parseStatusRanges('200, 204,300-399'), [[200, 200], [204, 204], [300, 399]]);
    assert.deepEqual(parseStatusRanges([200, '300-304']), [[200, 200], [300, 304]]);
  });

  it('says what is wrong, and the model gets nothing from it', () => {
    const cases: Array<[unknown, string]> = [
      ['2xx', '"2xx" is not a status range such as 200-399 or 200,204'],
      ['200-', '"200-" is not a status range such as 200-399 or 200,204'],
      ['099-200', 'status 99 is outside 100-599'],
      ['200-600', 'status 600 is outside 100-599'],
      ['399-200', 'range 399-200 runs backwards'],
      [[200, 'abc'], '"abc" is not a status range such as 200-399 or 200,204'],
      [[], 'no status given'],
      [undefined, '"undefined" is not a status range such as 200-399 or 200,204'],
    ];
    for (const [value, problem] of cases) {
      assert.equal(statusRangesProblem(value), problem, String(value));
      assert.equal(parseStatusRanges(value), undefined, String(value));
    }
    assert.equal(statusRangesProblem('200-399'), undefined);
  });

  it('writes them back as a person would', () => {
    assert.equal(formatStatusRanges([[200, 299], [304, 304]]), '200-299, 304');
  });
});

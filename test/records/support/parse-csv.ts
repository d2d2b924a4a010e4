/** A minimal RFC 4180 reader for checking CSV output: quoted fields, doubled quotes, CRLF record separators. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${index}`);
      quoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      records.push([...fields, field]);
      fields = [];
      field = '';
      index += 1;
    } else if (char === '\r' || char === '\n') {
      throw new Error(`bare line break outside quotes at ${index}`);
    } else {
      field += char;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || fields.length > 0) records.push([...fields, field]);
  return records;
}

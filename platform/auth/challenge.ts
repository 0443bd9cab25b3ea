/**
 * The RFC 6750 challenge of a 401. The description is a quoted-string limited to printable ASCII
 * without quotes or backslashes; anything else is dropped so no reason can break the header.
 */
export function challenge(description: string): Record<string, string> {
  const safe = description.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '');
  return {
    'www-authenticate': `Bearer realm="portico", error="invalid_token", error_description="${safe}"`,
  };
}

// biome-ignore-all lint/complexity/noUselessStringRaw: every example goes through String.raw alike, so each is pasted exactly as the specification writes it.
/**
 * The example patterns of STIX 2.1, section 9.8 "Examples" (OASIS Standard, 10 June 2021), in the order and with
 * the titles the specification gives them. The pattern text is the specification's, character for character
 * (`String.raw` keeps its backslashes as written; the fourth example is broken over two lines there too).
 * The specification has 22 examples. Tests import this list rather than repeating it.
 */
export interface SpecPatternExample {
  /** The specification's title for the example. */
  title: string;
  pattern: string;
}

export const SPEC_PATTERN_EXAMPLES: readonly SpecPatternExample[] = [
  {
    title: 'Matching a File with a SHA-256 hash',
    pattern: String.raw`[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']`,
  },
  {
    title:
      'Matching an Email Message with a particular From Email Address and Attachment File Name Using a Regular Expression',
    pattern: String.raw`[email-message:from_ref.value MATCHES '.+\\@example\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\.exe$']`,
  },
  {
    title: 'Matching a File with a SHA-256 hash and a PDF MIME type',
    pattern: String.raw`[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:mime_type = 'application/x-pdf']`,
  },
  {
    title:
      'Matching a File with SHA-256 or a MD5 hash (e.g., for the case of two different end point tools generating either an MD5 or a SHA-256), and a different File that has a different SHA-256 hash, against two different Observations',
    pattern: String.raw`[file:hashes.'SHA-256' = 'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c' OR file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']
AND [file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']`,
  },
  {
    title:
      'Matching a File with a MD5 hash, followed by (temporally) a Registry Key object that matches a value, within 5 minutes',
    pattern: String.raw`([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\foo\\bar']) WITHIN 300 SECONDS`,
  },
  {
    title: 'Matching three different, but specific Unix User Accounts',
    pattern: String.raw`[user-account:account_type = 'unix' AND user-account:user_id = '1007' AND user-account:account_login = 'Peter'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1008' AND user-account:account_login = 'Paul'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1009' AND user-account:account_login = 'Mary']`,
  },
  {
    title: 'Matching an Artifact object PCAP payload header',
    pattern: String.raw`[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\xd4\\xc3\\xb2\\xa1\\x02\\x00\\x04\\x00']`,
  },
  {
    title: 'Matching a File object with a Windows file path',
    pattern: String.raw`[file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\Windows\\System32']`,
  },
  {
    title: 'Matching on a Windows PE File with high section entropy',
    pattern: String.raw`[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]`,
  },
  {
    title: 'Matching on a mismatch between a File object magic number and mime type',
    pattern: String.raw`[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']`,
  },
  {
    title: 'Matching on Network Traffic with a particular destination',
    pattern: String.raw`[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']`,
  },
  {
    title: 'Matching on Malware Beaconing to a Domain Name',
    pattern: String.raw`[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS`,
  },
  {
    title: 'Matching on a Domain Name with IPv4 Resolution',
    pattern: String.raw`[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']`,
  },
  {
    title: 'Matching on a URL',
    pattern: String.raw`[url:value = 'http://example.com/foo' OR url:value = 'http://example.com/bar']`,
  },
  {
    title: 'Matching on an X509 Certificate',
    pattern: String.raw`[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28']`,
  },
  {
    title: 'Matching on a Windows Registry Key',
    pattern: String.raw`[windows-registry-key:key = 'HKEY_CURRENT_USER\\Software\\CryptoLocker\\Files' OR windows-registry-key:key = 'HKEY_CURRENT_USER\\Software\\Microsoft\\CurrentVersion\\Run\\CryptoLocker_0388']`,
  },
  {
    title: 'Matching on a File with a set of properties',
    pattern: String.raw`[(file:name = 'pdf.exe' OR file:size = 371712) AND file:created = t'2014-01-13T07:03:17Z']`,
  },
  {
    title: 'Matching on an Email Message with specific Sender and Subject',
    pattern: String.raw`[email-message:sender_ref.value = 'jdoe@example.com' AND email-message:subject = 'Conference Info']`,
  },
  {
    title: 'Matching on a Custom USB Device',
    pattern: String.raw`[x-usb-device:usbdrive.serial_number = '575833314133343231313937']`,
  },
  {
    title:
      'Matching on Two Processes Launched with a Specific Set of Command Line Arguments Within a Certain Time Window',
    pattern: String.raw`[process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s -r localMachine Root$'] FOLLOWEDBY [process:command_line MATCHES'^.+>-add GlobalSign.cer -c -s -r localMachineTrustedPublisher$'] WITHIN 300 SECONDS`,
  },
  {
    title: 'Matching on a Network Traffic IP that is part of a particular Subnet',
    pattern: String.raw`[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']`,
  },
  {
    title:
      'Matching on several different combinations of Malware Artifacts. Note the following pattern requires that both a file and registry key exist, or that one of two processes exist.',
    pattern: String.raw`([file:name = 'foo.dll'] AND [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\foo\\bar']) OR [process:image_ref.name = 'fooproc' OR process:image_ref.name = 'procfoo']`,
  },
];

/** The pattern of the example with exactly this title. */
export function specPattern(title: string): string {
  const found = SPEC_PATTERN_EXAMPLES.find((e) => e.title === title);
  if (!found) throw new Error(`no STIX 2.1 example titled ${JSON.stringify(title)}`);
  return found.pattern;
}

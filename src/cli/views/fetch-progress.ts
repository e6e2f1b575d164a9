/**
 * What `pipe dev kafka` and `pipe dev fetch` show while Kafka's jars download:
 * on a terminal one line that a spinner keeps alive, rewritten per jar; in CI
 * and other pipes plain lines, one per jar, that a log keeps.
 */
import type { FetchEvent } from '../../kafka/local/jars.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function fetchProgress(stream: NodeJS.WriteStream): (event: FetchEvent) => void {
  let jars = 0;
  let last = '';
  let frame = 0;
  let spinner: NodeJS.Timeout | undefined;
  const redraw = () => {
    frame = (frame + 1) % FRAMES.length;
    stream.write(
      `\r\x1b[K${FRAMES[frame]} ${jars} jar${jars === 1 ? '' : 's'} downloaded${last ? `, last ${last}` : ''}`,
    );
  };
  return (event) => {
    switch (event.kind) {
      case 'start':
        stream.write(`fetching ${event.what} from Maven Central with mvn, once: it is cached\n`);
        if (stream.isTTY) {
          spinner = setInterval(redraw, 120);
          spinner.unref();
        }
        return;
      case 'artifact':
        jars++;
        last = `${event.file}${event.size ? ` (${event.size})` : ''}`;
        if (stream.isTTY) redraw();
        else stream.write(`  downloaded ${last}\n`);
        return;
      case 'done':
        clearInterval(spinner);
        if (stream.isTTY) stream.write('\r\x1b[K');
        stream.write(`fetched ${event.jars} jars in ${Math.round(event.ms / 1000)} s into ${event.dir}\n`);
        return;
    }
  };
}

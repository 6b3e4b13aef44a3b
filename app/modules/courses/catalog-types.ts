import type { CourseFrontmatter, SelfCheckQuestion } from "./schema";

export interface CatalogLesson {
  slug: string;
  position: number;
  title: string;
  /** mdx-bundler output, run in the browser by getMDXComponent. Self-check answers are not in it. */
  code: string;
  /** Plain text, for search and the minimum reading time. */
  text: string;
  chars: number;
  selfChecks: SelfCheckQuestion[];
  /** Regulation registry entries the lesson cites (frontmatter and <Regulation>). */
  citations?: Citation[];
}

export interface Citation {
  code: string;
  articles: string[];
}

export interface CatalogCourse extends CourseFrontmatter {
  slug: string;
  introCode: string;
  contentHash: string;
  lessons: CatalogLesson[];
  /** Regulation registry entries the course's frontmatter cites. */
  citations?: Citation[];
}

export interface Catalog {
  builtAt: string;
  courses: CatalogCourse[];
}

export interface SelfCheckKey {
  answer: string;
  explanation: string;
}

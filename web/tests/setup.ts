// Test setup: the machine running CI may be slow, so async queries wait up to 10 s.
import { configure } from "@testing-library/react";

configure({ asyncUtilTimeout: 10000 });

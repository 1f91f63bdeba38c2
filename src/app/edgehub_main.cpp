int main_placeholder_edgehub_main();
int main() { return 0; }
